using MediatR;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Backups;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Backups.GetBackup;

/// <summary>One backup with its status, its archive's size and retention, its link's expiry and every download of it.</summary>
[RequiresPermission(Permissions.BackupsRequest)]
public sealed record GetBackupQuery(Guid Id) : IRequest<BackupDto>;

public sealed class GetBackupQueryHandler(IReadStore store, IOptions<BackupOptions> options, TimeProvider clock)
    : IRequestHandler<GetBackupQuery, BackupDto>
{
    public async Task<BackupDto> Handle(GetBackupQuery request, CancellationToken cancellationToken)
    {
        var backup = await store.FirstOrDefaultAsync(store.Query<BackupRequest>().Where(b => b.Id == request.Id), cancellationToken)
            ?? throw new NotFoundException("Backup", request.Id);
        return BackupDto.From(backup, clock.GetUtcNow(), options.Value.OverdueAfter, withDownloads: true);
    }
}
