using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.PaymentOrders.ListPaymentOrders;

/// <summary>Payment orders, newest first, filtered by client, status and date ranges, one keyset page at a time.</summary>
[RequiresPermission(Permissions.PaymentOrdersRead)]
public sealed record ListPaymentOrdersQuery(PaymentOrderFilter Filter, string? Cursor = null, int Limit = Cursor.DefaultLimit)
    : IPagedRequest, IRequest<Page<PaymentOrderDto>>;

public sealed class ListPaymentOrdersQueryValidator : AbstractValidator<ListPaymentOrdersQuery>
{
    public ListPaymentOrdersQueryValidator()
    {
        this.AddPagingRules();
        RuleFor(q => q.Filter.IssuedTo).GreaterThanOrEqualTo(q => q.Filter.IssuedFrom)
            .When(q => q.Filter.IssuedFrom is not null && q.Filter.IssuedTo is not null).OverridePropertyName("issuedTo").WithMessage("'issuedTo' must not be before 'issuedFrom'.");
        RuleFor(q => q.Filter.DueTo).GreaterThanOrEqualTo(q => q.Filter.DueFrom)
            .When(q => q.Filter.DueFrom is not null && q.Filter.DueTo is not null).OverridePropertyName("dueTo").WithMessage("'dueTo' must not be before 'dueFrom'.");
    }
}

public sealed class ListPaymentOrdersQueryHandler(IReadStore store) : IRequestHandler<ListPaymentOrdersQuery, Page<PaymentOrderDto>>
{
    public async Task<Page<PaymentOrderDto>> Handle(ListPaymentOrdersQuery request, CancellationToken cancellationToken)
    {
        var query = PaymentOrdersTray.Definition.Apply(store.Query<PaymentOrder>(), request.Filter);
        if (Cursor.TryDecode(request.Cursor, out var after))
        {
            query = query.Where(o => o.Id.CompareTo(after.Id) < 0);
        }

        var rows = await store.ToListAsync(query.OrderByDescending(o => o.Id).Take(request.Limit + 1).Select(PaymentOrderDto.Projection), cancellationToken);
        return Cursor.ToPage(rows, request.Limit, o => new Cursor(o.CreatedAt, o.Id));
    }
}
