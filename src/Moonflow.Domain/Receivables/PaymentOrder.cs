using Moonflow.Domain.Common;

namespace Moonflow.Domain.Receivables;

public enum PaymentOrderStatus
{
    Pending,
    PartiallyPaid,
    Paid,
    Overdue,
    Cancelled,
}

/// <summary>What a client owes: an amount due on a date, paid down over time. Its status follows from balance and dates.</summary>
public sealed class PaymentOrder : AggregateRoot, ITenantOwned
{
    private PaymentOrder()
    {
        Number = Currency = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Number { get; private set; }

    public Guid ClientId { get; private set; }

    public DateOnly IssueDate { get; private set; }

    public DateOnly DueDate { get; private set; }

    public decimal Amount { get; private set; }

    /// <summary>ISO 4217 code, e.g. COP, USD, MXN.</summary>
    public string Currency { get; private set; }

    public decimal Balance { get; private set; }

    public PaymentOrderStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static PaymentOrder Create(
        Guid tenantId, string number, Guid clientId, DateOnly issueDate, DateOnly dueDate, decimal amount, string currency,
        decimal? balance, DateOnly today, DateTimeOffset now)
    {
        if (dueDate < issueDate)
        {
            throw new DomainValidationException(nameof(dueDate), "'dueDate' cannot be before 'issueDate'.");
        }

        if (amount <= 0)
        {
            throw new DomainValidationException(nameof(amount), "'amount' must be greater than zero.");
        }

        var code = Guard.Required(currency, nameof(currency), 3).ToUpperInvariant();
        if (code.Length != 3 || !code.All(char.IsAsciiLetterUpper))
        {
            throw new DomainValidationException(nameof(currency), "'currency' must be a three-letter ISO 4217 code.");
        }

        var order = new PaymentOrder
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            Number = Guard.Required(number, nameof(number), 40),
            ClientId = clientId,
            IssueDate = issueDate,
            DueDate = dueDate,
            Amount = decimal.Round(amount, 2),
            Currency = code,
            Balance = decimal.Round(balance ?? amount, 2),
            CreatedAt = now,
        };
        if (order.Balance < 0 || order.Balance > order.Amount)
        {
            throw new DomainValidationException(nameof(balance), "'balance' must be between zero and the amount.");
        }

        order.Status = order.StatusOn(today);
        return order;
    }

    public void RegisterPayment(decimal payment, DateOnly today)
    {
        CheckRule(new PaymentOrderMustBeOpenRule(this));
        if (payment <= 0 || payment > Balance)
        {
            throw new DomainValidationException(nameof(payment), $"A payment must be greater than zero and at most the balance ({Balance} {Currency}).");
        }

        Balance -= payment;
        Status = StatusOn(today);
    }

    public void Cancel()
    {
        CheckRule(new PaymentOrderMustBeOpenRule(this));
        Status = PaymentOrderStatus.Cancelled;
    }

    /// <summary>Re-evaluates the status on a day (an order becomes overdue the day after its due date).</summary>
    public void Refresh(DateOnly today)
    {
        if (Status != PaymentOrderStatus.Cancelled)
        {
            Status = StatusOn(today);
        }
    }

    private PaymentOrderStatus StatusOn(DateOnly today) => Balance switch
    {
        0 => PaymentOrderStatus.Paid,
        _ when today > DueDate => PaymentOrderStatus.Overdue,
        _ when Balance < Amount => PaymentOrderStatus.PartiallyPaid,
        _ => PaymentOrderStatus.Pending,
    };
}

public sealed class PaymentOrderMustBeOpenRule(PaymentOrder order) : IBusinessRule
{
    public string Code => "payment_order_closed";

    public ErrorText Message => $"Payment order {order.Number} is {order.Status}; it no longer takes changes.";

    public bool IsBroken() => order.Status is PaymentOrderStatus.Paid or PaymentOrderStatus.Cancelled;
}
