using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Common.Time;
using Moonflow.Domain.Common;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.PaymentOrders.CreatePaymentOrder;

[RequiresPermission(Permissions.PaymentOrdersWrite)]
public sealed record CreatePaymentOrderCommand(
    string Number, Guid ClientId, DateOnly IssueDate, DateOnly DueDate, decimal Amount, string Currency, decimal? Balance)
    : IRequest<PaymentOrderDto>, ITransactionalCommand;

public sealed class CreatePaymentOrderCommandValidator : AbstractValidator<CreatePaymentOrderCommand>
{
    public CreatePaymentOrderCommandValidator()
    {
        RuleFor(c => c.Number).NotEmpty().MaximumLength(40);
        RuleFor(c => c.ClientId).NotEmpty();
        RuleFor(c => c.Amount).GreaterThan(0).LessThan(1_000_000_000_000m);
        RuleFor(c => c.Currency).NotEmpty().Matches("^[A-Za-z]{3}$").WithMessage("'currency' must be a three-letter ISO 4217 code.");
        RuleFor(c => c.DueDate).GreaterThanOrEqualTo(c => c.IssueDate).WithMessage("'dueDate' cannot be before 'issueDate'.");
        RuleFor(c => c.Balance).Must((c, balance) => balance is null || (balance >= 0 && balance <= c.Amount)).WithMessage("'balance' must be between zero and the amount.");
    }
}

public sealed class CreatePaymentOrderCommandHandler(
    IPaymentOrderRepository orders, IReadStore store, ICurrentUser user, TenantCalendar calendar, TimeProvider clock)
    : IRequestHandler<CreatePaymentOrderCommand, PaymentOrderDto>
{
    public async Task<PaymentOrderDto> Handle(CreatePaymentOrderCommand request, CancellationToken cancellationToken)
    {
        if (await store.CountAsync(store.Query<Client>().Where(c => c.Id == request.ClientId), cancellationToken) == 0)
        {
            throw new DomainValidationException(nameof(request.ClientId), $"There is no client {request.ClientId} in this tenant.");
        }

        if (await orders.NumberExistsAsync(request.Number.Trim(), cancellationToken))
        {
            throw new ConflictException("payment_order_exists", $"A payment order numbered {request.Number} already exists.");
        }

        var order = PaymentOrder.Create(
            user.TenantId, request.Number, request.ClientId, request.IssueDate, request.DueDate, request.Amount, request.Currency, request.Balance,
            await calendar.TodayAsync(cancellationToken), clock.GetUtcNow());
        orders.Add(order);
        return PaymentOrderDto.Projection.Compile()(order);
    }
}
