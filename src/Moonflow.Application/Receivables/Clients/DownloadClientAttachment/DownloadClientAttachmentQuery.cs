using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.DownloadProcessFile;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Clients.DownloadClientAttachment;

/// <summary>One of a client's documents, streamed from the file store under the name it was sent with.</summary>
[RequiresPermission(Permissions.ClientsRead)]
public sealed record DownloadClientAttachmentQuery(Guid ClientId, Guid AttachmentId) : IRequest<FileDownload>;

public sealed class DownloadClientAttachmentQueryHandler(IReadStore store, IFileStorage files) : IRequestHandler<DownloadClientAttachmentQuery, FileDownload>
{
    public async Task<FileDownload> Handle(DownloadClientAttachmentQuery request, CancellationToken cancellationToken)
    {
        var document = await store.FirstOrDefaultAsync(
                store.Query<ClientAttachment>().Where(a => a.Id == request.AttachmentId && a.ClientId == request.ClientId).Select(a => a.File), cancellationToken)
            ?? throw new NotFoundException("Attachment", request.AttachmentId);
        return new FileDownload(await files.OpenReadAsync(document.FileKey, cancellationToken), document.OriginalName, document.ContentType, document.SizeBytes);
    }
}
