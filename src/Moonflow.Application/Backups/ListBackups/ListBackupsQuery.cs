using MediatR;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Backups;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Backups.ListBackups;

/// <summary>The tenant's backups, newest first, with its quota now (a few a year: no paging needed beyond the last 100).</summary>
[RequiresPermission(Permissions.BackupsRequest)]
public sealed record ListBackupsQuery : IRequest<BackupHistory>;

public sealed class ListBackupsQueryHandler(IReadStore store, IOptions<BackupOptions> options, TimeProvider clock)
    : IRequestHandler<ListBackupsQuery, BackupHistory>
{
    public async Task<BackupHistory> Handle(ListBackupsQuery request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var backups = await store.ToListAsync(store.Query<BackupRequest>().OrderByDescending(b => b.RequestedAt).ThenByDescending(b => b.Id).Take(100), cancellationToken);
        var quota = BackupQuota.Of(backups);
        var next = quota.NextAllowedAt(now);
        return new BackupHistory(
            backups.Select(b => BackupDto.From(b, now, options.Value.OverdueAfter, withDownloads: false)).ToList(),
            new BackupQuotaDto(quota.UsedAt(now), quota.RemainingAt(now), next, next <= now));
    }
}
