using System.Linq.Expressions;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.PaymentOrders;

public sealed record PaymentOrderDto(
    Guid Id, string Number, Guid ClientId, DateOnly IssueDate, DateOnly DueDate, decimal Amount, string Currency, decimal Balance,
    PaymentOrderStatus Status, DateTimeOffset CreatedAt)
{
    public static readonly Expression<Func<PaymentOrder, PaymentOrderDto>> Projection = o => new PaymentOrderDto(
        o.Id, o.Number, o.ClientId, o.IssueDate, o.DueDate, o.Amount, o.Currency, o.Balance, o.Status, o.CreatedAt);
}

public interface IPaymentOrderRepository
{
    void Add(PaymentOrder order);

    Task<bool> NumberExistsAsync(string number, CancellationToken cancellationToken);
}
