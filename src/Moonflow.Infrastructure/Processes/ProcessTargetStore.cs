using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Infrastructure.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace Moonflow.Infrastructure.Processes;

/// <summary>
/// Freezes a process's targets with binary COPY on the command's own connection and transaction, reading the
/// matching ids in keyset pages so that memory stays flat however many records match.
/// </summary>
internal sealed class ProcessTargetStore(MoonflowDbContext db) : IProcessTargetStore
{
    private const int PageSize = 50_000;

    public async Task<long> FreezeAsync(Guid processId, IQueryable<Guid> matchingIds, CancellationToken cancellationToken)
    {
        long seq = 0;
        Guid? last = null;
        while (true)
        {
            var page = matchingIds;
            if (last is { } after)
            {
                page = page.Where(id => id.CompareTo(after) > 0);
            }

            var ids = await page.OrderBy(id => id).Take(PageSize).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return seq;
            }

            seq = await CopyAsync(processId, ids, seq, cancellationToken);
            last = ids[^1];
        }
    }

    public Task<long> FreezeAsync(Guid processId, IReadOnlyList<Guid> ids, CancellationToken cancellationToken) =>
        CopyAsync(processId, ids, 0, cancellationToken);

    private async Task<long> CopyAsync(Guid processId, IReadOnlyList<Guid> ids, long seq, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY processes.process_targets (process_id, seq, record_id) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var id in ids)
        {
            importer.StartRow();
            importer.Write(processId, NpgsqlDbType.Uuid);
            importer.Write(++seq, NpgsqlDbType.Bigint);
            importer.Write(id, NpgsqlDbType.Uuid);
        }

        await importer.CompleteAsync(cancellationToken);
        return seq;
    }
}
