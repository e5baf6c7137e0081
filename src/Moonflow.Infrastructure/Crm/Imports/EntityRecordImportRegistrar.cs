using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Crm.Imports.ImportEntityRecords;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Infrastructure.Persistence;
using Moonflow.Infrastructure.Processes.Uploads;
using Npgsql;
using NpgsqlTypes;

namespace Moonflow.Infrastructure.Crm.Imports;

/// <summary>
/// Creates a chunk of an entity's records on the runner's connection and transaction: the rows (already typed by the
/// entity's fields) are COPYed (binary) into a temporary staging table, then one statement inserts them and writes every
/// row's item. A dry run writes only the items (<c>would_create</c>).
/// </summary>
internal sealed class EntityRecordImportRegistrar(MoonflowDbContext db, TimeProvider clock) : IImportRegistrar<EntityRecordRow>
{
    private const string InsertSql =
        """
        WITH created AS (
            INSERT INTO crm.entity_records (id, tenant_id, entity_id, contact_id, values, created_at)
            SELECT id, $1, $2, NULL, vals, $3 FROM entity_record_batch
            RETURNING id),
        items AS (
            INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
            SELECT $4, b.seq, b.record_key, 'Created', NULL FROM entity_record_batch b JOIN created c ON c.id = b.id
            RETURNING seq, false AS failed)
        SELECT seq, failed FROM items
        """;

    private const string DryRunSql =
        """
        WITH items AS (
            INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
            SELECT $1, seq, record_key, 'WouldCreate', NULL FROM entity_record_batch
            RETURNING seq, false AS failed)
        SELECT seq, failed FROM items
        """;

    private NpgsqlConnection Connection => (NpgsqlConnection)db.Database.GetDbConnection();

    public async Task<ImportRegistration> RegisterAsync(ImportBatch<EntityRecordRow> batch, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await StageAsync(batch.Rows, now, cancellationToken);
        var process = batch.Process;
        await using var command = new NpgsqlCommand(batch.DryRun ? DryRunSql : InsertSql, Connection);
        if (batch.DryRun)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = process.Id });
        }
        else
        {
            var entityId = UploadParameters.Read(process).ReadSettings().Read<EntityRecordsImportSettings>().Entity.Id;
            command.Parameters.Add(new NpgsqlParameter { Value = process.TenantId });
            command.Parameters.Add(new NpgsqlParameter { Value = entityId });
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            command.Parameters.Add(new NpgsqlParameter { Value = process.Id });
        }

        return await ImportRegistrationReader.ReadAsync(command, cancellationToken);
    }

    private async Task StageAsync(IReadOnlyList<ImportCandidate<EntityRecordRow>> rows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A per-connection work table, emptied at every commit (and before use, should a transaction register twice).
        await using (var create = new NpgsqlCommand(
            """
            CREATE TEMP TABLE IF NOT EXISTS entity_record_batch (seq bigint PRIMARY KEY, record_key text, id uuid, vals jsonb) ON COMMIT DELETE ROWS;
            TRUNCATE entity_record_batch
            """,
            Connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var importer = await Connection.BeginBinaryImportAsync(
            "COPY entity_record_batch (seq, record_key, id, vals) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var (seq, recordKey, row) in rows)
        {
            importer.StartRow();
            importer.Write(seq, NpgsqlDbType.Bigint);
            importer.Write(recordKey.Length <= 200 ? recordKey : recordKey[..200], NpgsqlDbType.Text);
            importer.Write(Guid.CreateVersion7(now), NpgsqlDbType.Uuid);
            importer.Write(row.Values, NpgsqlDbType.Jsonb);
        }

        await importer.CompleteAsync(cancellationToken);
    }
}
