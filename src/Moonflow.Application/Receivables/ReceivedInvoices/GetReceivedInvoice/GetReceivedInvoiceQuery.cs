using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Receivables.Documents;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.ReceivedInvoices.GetReceivedInvoice;

[RequiresPermission(Permissions.PaymentOrdersRead)]
public sealed record GetReceivedInvoiceQuery(Guid InvoiceId) : IRequest<ReceivedInvoiceDto>;

public sealed class GetReceivedInvoiceQueryHandler(IReadStore store) : IRequestHandler<GetReceivedInvoiceQuery, ReceivedInvoiceDto>
{
    public async Task<ReceivedInvoiceDto> Handle(GetReceivedInvoiceQuery request, CancellationToken cancellationToken) =>
        await store.FirstOrDefaultAsync(store.Query<ReceivedInvoice>().Where(i => i.Id == request.InvoiceId).Select(ReceivedInvoiceDto.Projection), cancellationToken)
        ?? throw new NotFoundException("Received invoice", request.InvoiceId);
}
