using MediatR;
using Microsoft.Extensions.Logging;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Persistence;

namespace Moonflow.Application.Backups.ExpireBackups;

/// <summary>
/// A recurring job: ready backups whose archive's retention (<c>Backups:FileRetention</c>) has passed become expired, and their
/// archives are deleted from the file store once that commits.
/// </summary>
public sealed record ExpireBackupsCommand : IRequest<int>, ITransactionalCommand;

public sealed class ExpireBackupsCommandHandler(
    IBackupRequestRepository backups, IFileStorage files, IUnitOfWork unitOfWork, TimeProvider clock, ILogger<ExpireBackupsCommandHandler> logger)
    : IRequestHandler<ExpireBackupsCommand, int>
{
    public async Task<int> Handle(ExpireBackupsCommand request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var expired = 0;
        foreach (var backup in await backups.FindRetentionPassedAsync(now, cancellationToken))
        {
            var key = backup.StorageKey;
            if (!backup.Expire(now))
            {
                continue;
            }

            expired++;
            if (key is not null)
            {
                unitOfWork.AfterCommit(async () =>
                {
                    try
                    {
                        await files.DeleteAsync(key, CancellationToken.None);
                    }
                    catch (IOException ex)
                    {
                        logger.LogWarning(ex, "Could not delete the archive {Key} of an expired backup", key);
                    }
                });
            }
        }

        return expired;
    }
}
