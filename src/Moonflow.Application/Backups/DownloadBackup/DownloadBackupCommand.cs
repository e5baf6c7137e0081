using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.DownloadProcessFile;
using Moonflow.Domain.Backups;

namespace Moonflow.Application.Backups.DownloadBackup;

/// <summary>
/// The emailed link: no bearer token, the signed token is the permission. Tampered (or another tenant's) → 403
/// <c>link_invalid</c>; expired → 410 <c>link_expired</c>; archive deleted → 410 <c>backup_expired</c>; never the file.
/// Every download is logged with when, the IP address and the user agent.
/// </summary>
[AllowAnonymousRequest]
public sealed record DownloadBackupCommand(string? Token, string? IpAddress, string? UserAgent, string? Range) : IRequest<FileDownload>, ITransactionalCommand;

public sealed class DownloadBackupCommandHandler(IBackupRequestRepository backups, IBackupLinkSigner signer, IFileStorage files, TimeProvider clock)
    : IRequestHandler<DownloadBackupCommand, FileDownload>
{
    public async Task<FileDownload> Handle(DownloadBackupCommand request, CancellationToken cancellationToken)
    {
        var link = signer.Verify(request.Token) ?? throw new ForbiddenException(
            "This download link is not valid: it is incomplete or was changed. Open the link exactly as it came in the email, or ask for a new one.", "link_invalid");
        var now = clock.GetUtcNow();
        if (link.ExpiresAt <= now)
        {
            throw new GoneException(
                "link_expired",
                $"This download link expired on {link.ExpiresAt:yyyy-MM-dd HH:mm} UTC. Ask for a new link from the backup's page while its archive is kept.");
        }

        // A signed link names its tenant: a backup id of another tenant under it is not a backup the link was made for.
        var backup = await backups.GetForLinkAsync(link.TenantId, link.BackupId, cancellationToken)
            ?? throw new ForbiddenException("This download link does not name a backup of its account.", "link_invalid");
        if (backup.Status != BackupStatus.Ready || backup.FileExpiresAt <= now || backup.StorageKey is null)
        {
            throw new GoneException("backup_expired", $"The archive of backup {backup.Id} is no longer kept; request a new backup when the quota allows.");
        }

        backup.RecordDownload(now, request.IpAddress, request.UserAgent, request.Range);
        var content = await files.OpenReadAsync(backup.StorageKey, cancellationToken);
        return new FileDownload(content, $"backup-{backup.RequestedAt:yyyyMMdd}-{backup.Id:N}.zip", "application/zip", backup.SizeBytes ?? content.Length);
    }
}
