using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Receivables.Documents;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.ReceivedInvoices.ListReceivedInvoices;

/// <summary>Received invoices, newest first, optionally of one supplier, one keyset page at a time.</summary>
[RequiresPermission(Permissions.PaymentOrdersRead)]
public sealed record ListReceivedInvoicesQuery(string? Supplier = null, string? Cursor = null, int Limit = Common.Paging.Cursor.DefaultLimit)
    : IPagedRequest, IRequest<Page<ReceivedInvoiceDto>>;

public sealed class ListReceivedInvoicesQueryValidator : AbstractValidator<ListReceivedInvoicesQuery>
{
    public ListReceivedInvoicesQueryValidator()
    {
        this.AddPagingRules();
        RuleFor(q => q.Supplier).MaximumLength(200);
    }
}

public sealed class ListReceivedInvoicesQueryHandler(IReadStore store) : IRequestHandler<ListReceivedInvoicesQuery, Page<ReceivedInvoiceDto>>
{
    public async Task<Page<ReceivedInvoiceDto>> Handle(ListReceivedInvoicesQuery request, CancellationToken cancellationToken)
    {
        var query = store.Query<ReceivedInvoice>();
        if (!string.IsNullOrWhiteSpace(request.Supplier))
        {
            var supplier = request.Supplier.Trim();
            query = query.Where(i => i.Supplier == supplier);
        }

        if (Cursor.TryDecode(request.Cursor, out var after))
        {
            query = query.Where(i => i.Id.CompareTo(after.Id) < 0);
        }

        var rows = await store.ToListAsync(query.OrderByDescending(i => i.Id).Take(request.Limit + 1).Select(ReceivedInvoiceDto.Projection), cancellationToken);
        return Cursor.ToPage(rows, request.Limit, i => new Cursor(i.CreatedAt, i.Id));
    }
}
