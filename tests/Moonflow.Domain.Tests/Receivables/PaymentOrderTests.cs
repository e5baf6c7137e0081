using Moonflow.Domain.Common;
using Moonflow.Domain.Receivables;

namespace Moonflow.Domain.Tests.Receivables;

public sealed class PaymentOrderTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(100, 100, 30, PaymentOrderStatus.Pending)]
    [InlineData(100, 40, 30, PaymentOrderStatus.PartiallyPaid)]
    [InlineData(100, 0, 30, PaymentOrderStatus.Paid)]
    [InlineData(100, 40, -1, PaymentOrderStatus.Overdue)]
    [InlineData(100, 0, -1, PaymentOrderStatus.Paid)]
    public void Create_WhenBalanceAndDueDateVary_DerivesTheStatus(decimal amount, decimal balance, int dueInDays, PaymentOrderStatus expected)
    {
        var order = Create(amount, balance, Today.AddDays(dueInDays));

        Assert.Equal(expected, order.Status);
    }

    [Fact]
    public void RegisterPayment_WhenItClearsTheBalance_MarksItPaidAndClosesIt()
    {
        var order = Create(100, 100, Today.AddDays(10));

        order.RegisterPayment(60, Today);
        Assert.Equal(PaymentOrderStatus.PartiallyPaid, order.Status);
        order.RegisterPayment(40, Today);

        Assert.Equal(PaymentOrderStatus.Paid, order.Status);
        Assert.Equal("payment_order_closed", Assert.Throws<BusinessRuleValidationException>(() => order.Cancel()).BrokenRule.Code);
    }

    [Fact]
    public void RegisterPayment_WhenMoreThanTheBalance_IsRefused()
    {
        var order = Create(100, 30, Today.AddDays(10));

        Assert.Throws<DomainValidationException>(() => order.RegisterPayment(31, Today));
        Assert.Equal(30, order.Balance);
    }

    [Fact]
    public void Refresh_WhenTheDueDatePasses_MakesItOverdueButNeverRevivesACancelledOne()
    {
        var open = Create(100, 100, Today);
        var cancelled = Create(100, 100, Today);
        cancelled.Cancel();

        open.Refresh(Today.AddDays(1));
        cancelled.Refresh(Today.AddDays(1));

        Assert.Equal(PaymentOrderStatus.Overdue, open.Status);
        Assert.Equal(PaymentOrderStatus.Cancelled, cancelled.Status);
    }

    [Theory]
    [InlineData(0, "amount")]
    [InlineData(-5, "amount")]
    public void Create_WhenAmountIsNotPositive_IsRefused(decimal amount, string field)
    {
        Assert.Equal(field, Assert.Throws<DomainValidationException>(() => Create(amount, null, Today)).Field);
    }

    [Fact]
    public void Create_WhenDueBeforeIssueOrCurrencyIsNotIso_IsRefused()
    {
        Assert.Equal("dueDate", Assert.Throws<DomainValidationException>(() =>
            PaymentOrder.Create(Guid.NewGuid(), "OP-1", Guid.NewGuid(), Today, Today.AddDays(-1), 10, "COP", null, Today, Now)).Field);
        Assert.Equal("currency", Assert.Throws<DomainValidationException>(() =>
            PaymentOrder.Create(Guid.NewGuid(), "OP-1", Guid.NewGuid(), Today, Today, 10, "P$", null, Today, Now)).Field);
    }

    private static PaymentOrder Create(decimal amount, decimal? balance, DateOnly due) =>
        PaymentOrder.Create(Guid.NewGuid(), "OP-000001", Guid.NewGuid(), Today.AddDays(-30), due < Today.AddDays(-30) ? Today.AddDays(-30) : due, amount, "cop", balance, Today, Now);
}
