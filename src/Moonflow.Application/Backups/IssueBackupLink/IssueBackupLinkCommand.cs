using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Backups;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Backups.IssueBackupLink;

/// <summary>
/// A fresh link to a ready backup, emailed to the user who requested it (only to that address: the answer does not carry it),
/// while its archive is kept; after that the backup is expired (410).
/// </summary>
[RequiresPermission(Permissions.BackupsRequest)]
public sealed record IssueBackupLinkCommand(Guid Id) : IRequest<BackupLinkIssued>, ITransactionalCommand;

public sealed class IssueBackupLinkCommandHandler(IBackupRequestRepository backups, BackupLinks links, TimeProvider clock)
    : IRequestHandler<IssueBackupLinkCommand, BackupLinkIssued>
{
    public async Task<BackupLinkIssued> Handle(IssueBackupLinkCommand request, CancellationToken cancellationToken)
    {
        var backup = await backups.GetAsync(request.Id, cancellationToken) ?? throw new NotFoundException("Backup", request.Id);
        if (backup.Status == BackupStatus.Expired || (backup.Status == BackupStatus.Ready && backup.FileExpiresAt <= clock.GetUtcNow()))
        {
            throw new GoneException(
                "backup_expired",
                $"The archive of backup {backup.Id} was kept until {backup.FileExpiresAt:yyyy-MM-dd HH:mm} UTC and has been deleted; request a new backup when the quota allows.");
        }

        return await links.IssueAndEmailAsync(backup, cancellationToken);
    }
}
