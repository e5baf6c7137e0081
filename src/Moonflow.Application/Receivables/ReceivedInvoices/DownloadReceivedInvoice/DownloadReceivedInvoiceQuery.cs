using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.DownloadProcessFile;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.ReceivedInvoices.DownloadReceivedInvoice;

/// <summary>A received invoice's XML, streamed from the file store.</summary>
[RequiresPermission(Permissions.PaymentOrdersRead)]
public sealed record DownloadReceivedInvoiceQuery(Guid InvoiceId) : IRequest<FileDownload>;

public sealed class DownloadReceivedInvoiceQueryHandler(IReadStore store, IFileStorage files) : IRequestHandler<DownloadReceivedInvoiceQuery, FileDownload>
{
    public async Task<FileDownload> Handle(DownloadReceivedInvoiceQuery request, CancellationToken cancellationToken)
    {
        var document = await store.FirstOrDefaultAsync(store.Query<ReceivedInvoice>().Where(i => i.Id == request.InvoiceId).Select(i => i.Xml), cancellationToken)
            ?? throw new NotFoundException("Received invoice", request.InvoiceId);
        return new FileDownload(await files.OpenReadAsync(document.FileKey, cancellationToken), document.OriginalName, document.ContentType, document.SizeBytes);
    }
}
