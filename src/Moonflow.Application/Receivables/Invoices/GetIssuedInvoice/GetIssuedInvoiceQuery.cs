using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Receivables.Documents;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Invoices.GetIssuedInvoice;

/// <summary>The invoice issued for a payment order: number and what its two files are (404 while none was attached).</summary>
[RequiresPermission(Permissions.PaymentOrdersRead)]
public sealed record GetIssuedInvoiceQuery(Guid PaymentOrderId) : IRequest<IssuedInvoiceDto>;

public sealed class GetIssuedInvoiceQueryHandler(IReadStore store) : IRequestHandler<GetIssuedInvoiceQuery, IssuedInvoiceDto>
{
    public async Task<IssuedInvoiceDto> Handle(GetIssuedInvoiceQuery request, CancellationToken cancellationToken) =>
        await store.FirstOrDefaultAsync(
            store.Query<IssuedInvoice>().Where(i => i.PaymentOrderId == request.PaymentOrderId).Select(IssuedInvoiceDto.Projection), cancellationToken)
        ?? throw new NotFoundException("Invoice of payment order", request.PaymentOrderId);
}
