using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Infrastructure.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace Moonflow.Infrastructure.Processes;

/// <summary>
/// Freezes a process's targets on the command's own connection and transaction: the ids a query matches with one
/// INSERT … SELECT on the server, the ids a caller listed with binary COPY.
/// </summary>
internal sealed class ProcessTargetStore(MoonflowDbContext db) : IProcessTargetStore
{
    /// <summary>How long freezing a selection may take; shared with the CRM's own freeze.</summary>
    internal const int FreezeTimeoutSeconds = 300;

    public async Task<long> FreezeAsync(Guid processId, IQueryable<Guid> matchingIds, CancellationToken cancellationToken)
    {
        // The query EF Core writes for the ids, numbered and inserted on the server in one statement: a million ids never
        // travel to the API and back, and the API holds none of them.
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = matchingIds.CreateDbCommand();
        command.CommandText = $"""
            INSERT INTO processes.process_targets (process_id, seq, record_id)
            SELECT @frozen_process_id, row_number() OVER (ORDER BY matching.id), matching.id
            FROM ({command.CommandText}) AS matching (id)
            """;
        command.Parameters.Add(new NpgsqlParameter<Guid>("frozen_process_id", processId));
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandTimeout = FreezeTimeoutSeconds; // a million ids in one statement outlasts the default 30 s on a busy server
        return await command.ExecuteNonQueryAsync(cancellationToken);
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
