using MediatR;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Backups;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Backups.ListOverdueBackups;

/// <summary>Seed 002: backups whose email has not gone out 48 hours after the request, oldest first, for support to follow up.</summary>
[RequiresPermission(Permissions.BackupsOverdue)]
public sealed record ListOverdueBackupsQuery : IRequest<IReadOnlyList<BackupDto>>;

public sealed class ListOverdueBackupsQueryHandler(IReadStore store, IOptions<BackupOptions> options, TimeProvider clock)
    : IRequestHandler<ListOverdueBackupsQuery, IReadOnlyList<BackupDto>>
{
    public async Task<IReadOnlyList<BackupDto>> Handle(ListOverdueBackupsQuery request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var requestedBefore = now - options.Value.OverdueAfter;
        var overdue = await store.ToListAsync(
            store.Query<BackupRequest>()
                .Where(b => b.EmailedAt == null && b.Status != BackupStatus.Cancelled && b.RequestedAt <= requestedBefore)
                .OrderBy(b => b.RequestedAt).ThenBy(b => b.Id),
            cancellationToken);
        return overdue.Select(b => BackupDto.From(b, now, options.Value.OverdueAfter, withDownloads: false)).ToList();
    }
}
