using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes.DownloadProcessFile;

[RequiresPermission(Permissions.ProcessesRead)]
public sealed record DownloadProcessFileQuery(Guid ProcessId, Guid FileId) : IRequest<FileDownload>;

/// <summary>An open stream the caller must dispose, with what the browser needs to save it.</summary>
public sealed record FileDownload(Stream Content, string FileName, string ContentType, long SizeBytes);

public sealed class DownloadProcessFileQueryHandler(IReadStore store, ICurrentUser user, IFileStorage files, TimeProvider clock)
    : IRequestHandler<DownloadProcessFileQuery, FileDownload>
{
    public async Task<FileDownload> Handle(DownloadProcessFileQuery request, CancellationToken cancellationToken)
    {
        var process = await store.FirstOrDefaultAsync(
            store.Query<BulkProcess>().VisibleTo(user).Where(p => p.Id == request.ProcessId), cancellationToken);
        var file = process?.Files.FirstOrDefault(f => f.Id == request.FileId)
            ?? throw new NotFoundException("File", request.FileId);
        if (file.IsExpired(clock.GetUtcNow()))
        {
            throw new GoneException("file_expired", $"The file '{file.FileName}' expired on {file.ExpiresAt:u}; run the process again to get a new one.");
        }

        var content = await files.OpenReadAsync(file.StorageKey, cancellationToken);
        return new FileDownload(content, file.FileName, file.ContentType, file.SizeBytes);
    }
}
