using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Identity;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Domain.Backups;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Backups.RequestBackup;

/// <summary>
/// Requests a backup of the whole tenant. Requests of one tenant are serialised (a transaction-scoped advisory lock), so the
/// quota is checked against every committed backup: of simultaneous requests exactly one passes.
/// </summary>
[RequiresPermission(Permissions.BackupsRequest)]
public sealed record RequestBackupCommand : IRequest<BackupAccepted>, ITransactionalCommand;

public sealed class RequestBackupCommandHandler(
    IBackupRequestRepository backups, IUserRepository users, BulkProcessStarter starter, ICurrentUser user, TimeProvider clock)
    : IRequestHandler<RequestBackupCommand, BackupAccepted>
{
    public async Task<BackupAccepted> Handle(RequestBackupCommand request, CancellationToken cancellationToken)
    {
        // The email goes to the address of the person who asked, so an API key cannot ask.
        var userId = user.RequireUserId();
        var requester = await users.GetAsync(userId, cancellationToken) ?? throw new NotFoundException("User", userId);
        await backups.LockTenantAsync(cancellationToken);
        var quota = BackupQuota.Of(await backups.ListCountingAsync(cancellationToken));
        var backup = BackupRequest.Request(user.TenantId, userId, requester.Email, quota, clock.GetUtcNow());
        var accepted = await starter.StartConfiguredAsync(
            ProcessType.Backup, "Data backup", new BackupProcessParameters(backup.Id),
            process =>
            {
                // Entries are counted as the archive is written; nothing to freeze.
                process.FreezeTargets(0);
                backup.TrackWith(process.Id);
            },
            cancellationToken);
        backups.Add(backup);
        return new BackupAccepted(backup.Id, accepted.ProcessId);
    }
}
