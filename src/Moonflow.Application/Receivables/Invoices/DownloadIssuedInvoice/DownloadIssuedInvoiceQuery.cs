using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.DownloadProcessFile;
using Moonflow.Application.Receivables.Documents;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Invoices.DownloadIssuedInvoice;

/// <summary>The XML or the PDF of a payment order's invoice, streamed from the file store.</summary>
[RequiresPermission(Permissions.PaymentOrdersRead)]
public sealed record DownloadIssuedInvoiceQuery(Guid PaymentOrderId, InvoiceFile File) : IRequest<FileDownload>;

public sealed class DownloadIssuedInvoiceQueryHandler(IReadStore store, IFileStorage files) : IRequestHandler<DownloadIssuedInvoiceQuery, FileDownload>
{
    public async Task<FileDownload> Handle(DownloadIssuedInvoiceQuery request, CancellationToken cancellationToken)
    {
        var invoices = store.Query<IssuedInvoice>().Where(i => i.PaymentOrderId == request.PaymentOrderId);
        var document = await store.FirstOrDefaultAsync(request.File == InvoiceFile.Xml ? invoices.Select(i => i.Xml) : invoices.Select(i => i.Pdf), cancellationToken)
            ?? throw new NotFoundException("Invoice of payment order", request.PaymentOrderId);
        return new FileDownload(await files.OpenReadAsync(document.FileKey, cancellationToken), document.OriginalName, document.ContentType, document.SizeBytes);
    }
}
