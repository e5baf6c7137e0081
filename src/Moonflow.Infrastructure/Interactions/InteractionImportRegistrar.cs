using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Interactions;
using Moonflow.Infrastructure.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace Moonflow.Infrastructure.Interactions;

/// <summary>
/// Registers uploaded communications on the runner's connection and transaction: a chunk's interactions are COPYed
/// (binary) into a temporary staging table and inserted from there in one statement that skips duplicates (the unique
/// "same communication" index) and writes every row's item. A dry run stages them the same way and only writes the
/// items of what would happen.
/// </summary>
internal sealed class InteractionImportRegistrar(MoonflowDbContext db) : IImportRegistrar<Interaction>
{
    private const string AlreadyRegistered = "Already registered: same client, channel, send time and recipients.";
    private const string RepeatsAnEarlierRow = "Repeats an earlier row of this file: same client, channel, send time and recipients.";

    private NpgsqlConnection Connection => (NpgsqlConnection)db.Database.GetDbConnection();

    /// <summary>
    /// Rows go in in file order, so of two identical rows the first is the one created. The unique "same communication"
    /// index has the last word on duplicates, against earlier uploads and concurrent ones; it is the only arbiter (an id
    /// collision is no duplicate, and checking the primary key too costs a probe per row).
    /// </summary>
    private const string RegisterSql =
        """
        WITH inserted AS (
            INSERT INTO interactions.interactions (id, tenant_id, client_id, client_document_type, client_document_number, client_name,
                direction, channel, status, scheduled_at, sent_at, send_at, campaign, template, portfolio, advisor_id, advisor_name,
                recipients, message, error_message, source, created_at)
            SELECT id, tenant_id, client_id, client_document_type, client_document_number, client_name,
                direction, channel, status, scheduled_at, sent_at, send_at, campaign, template, portfolio, advisor_id, advisor_name,
                recipients, message, error_message, source, created_at
            FROM import_batch ORDER BY seq
            ON CONFLICT (tenant_id, client_id, channel, send_at, recipients) DO NOTHING
            RETURNING id),
        items AS (
            INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
            SELECT $1, b.seq, b.record_key,
                   CASE WHEN i.id IS NULL THEN 'Duplicate' ELSE 'Created' END,
                   CASE WHEN i.id IS NULL THEN $2 END
            FROM import_batch b LEFT JOIN inserted i ON i.id = b.id
            RETURNING outcome)
        SELECT count(*) FROM items
        """;

    /// <summary>
    /// What the insert would do, without it: a row like a registered communication is a duplicate, and so is a row
    /// repeating an earlier one of the same chunk; the rest would be created.
    /// </summary>
    private const string DryRunSql =
        """
        WITH judged AS (
            SELECT b.seq, b.record_key,
                   EXISTS (SELECT 1 FROM interactions.interactions i
                           WHERE i.tenant_id = b.tenant_id AND i.client_id = b.client_id AND i.channel = b.channel
                             AND i.send_at = b.send_at AND i.recipients = b.recipients) AS registered,
                   row_number() OVER (PARTITION BY b.tenant_id, b.client_id, b.channel, b.send_at, b.recipients ORDER BY b.seq) > 1 AS repeated
            FROM import_batch b),
        items AS (
            INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
            SELECT $1, seq, record_key,
                   CASE WHEN registered OR repeated THEN 'Duplicate' ELSE 'WouldCreate' END,
                   CASE WHEN registered THEN $2 WHEN repeated THEN $3 END
            FROM judged
            RETURNING outcome)
        SELECT count(*) FROM items
        """;

    public async Task<ImportRegistration> RegisterAsync(ImportBatch<Interaction> batch, CancellationToken cancellationToken)
    {
        await StageAsync(batch.Rows, cancellationToken);
        await using var command = batch.DryRun
            ? Command(DryRunSql, batch.Process.Id, AlreadyRegistered, RepeatsAnEarlierRow)
            : Command(RegisterSql, batch.Process.Id, AlreadyRegistered);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ImportRegistration(reader.GetInt64(0), []);
    }

    private async Task StageAsync(IReadOnlyList<ImportCandidate<Interaction>> rows, CancellationToken cancellationToken)
    {
        // A per-connection work table, emptied at every commit (and before use, should a transaction register twice).
        // The insert sorts a chunk by row number: enough working memory keeps that sort off the disk.
        await using (var create = Command(
            """
            SET LOCAL work_mem = '64MB';
            CREATE TEMP TABLE IF NOT EXISTS import_batch (
                seq bigint, record_key text, id uuid, tenant_id uuid, client_id uuid, client_document_type text, client_document_number text,
                client_name text, direction text, channel text, status text, scheduled_at timestamptz, sent_at timestamptz, send_at timestamptz,
                campaign text, template text, portfolio text, advisor_id uuid, advisor_name text, recipients text, message text,
                error_message text, source text, created_at timestamptz) ON COMMIT DELETE ROWS;
            TRUNCATE import_batch
            """))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var importer = await Connection.BeginBinaryImportAsync(
            """
            COPY import_batch (seq, record_key, id, tenant_id, client_id, client_document_type, client_document_number, client_name, direction,
                channel, status, scheduled_at, sent_at, send_at, campaign, template, portfolio, advisor_id, advisor_name, recipients, message,
                error_message, source, created_at) FROM STDIN (FORMAT BINARY)
            """,
            cancellationToken);
        foreach (var (seq, recordKey, i) in rows)
        {
            importer.StartRow();
            importer.Write(seq, NpgsqlDbType.Bigint);
            importer.Write(recordKey.Length <= 200 ? recordKey : recordKey[..200], NpgsqlDbType.Text);
            importer.Write(i.Id, NpgsqlDbType.Uuid);
            importer.Write(i.TenantId, NpgsqlDbType.Uuid);
            importer.Write(i.ClientId, NpgsqlDbType.Uuid);
            importer.Write(i.ClientDocumentType, NpgsqlDbType.Text);
            importer.Write(i.ClientDocumentNumber, NpgsqlDbType.Text);
            importer.Write(i.ClientName, NpgsqlDbType.Text);
            importer.Write(i.Direction.ToString(), NpgsqlDbType.Text);
            importer.Write(i.Channel.ToString(), NpgsqlDbType.Text);
            importer.Write(i.Status.ToString(), NpgsqlDbType.Text);
            WriteNullable(importer, i.ScheduledAt, NpgsqlDbType.TimestampTz);
            WriteNullable(importer, i.SentAt, NpgsqlDbType.TimestampTz);
            importer.Write(i.SendAt, NpgsqlDbType.TimestampTz);
            WriteNullable(importer, i.Campaign, NpgsqlDbType.Text);
            WriteNullable(importer, i.Template, NpgsqlDbType.Text);
            WriteNullable(importer, i.Portfolio, NpgsqlDbType.Text);
            WriteNullable(importer, i.AdvisorId, NpgsqlDbType.Uuid);
            WriteNullable(importer, i.AdvisorName, NpgsqlDbType.Text);
            importer.Write(i.Recipients, NpgsqlDbType.Text);
            WriteNullable(importer, i.Message, NpgsqlDbType.Text);
            WriteNullable(importer, i.ErrorMessage, NpgsqlDbType.Text);
            importer.Write(i.Source.ToString(), NpgsqlDbType.Text);
            importer.Write(i.CreatedAt, NpgsqlDbType.TimestampTz);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>A command on the runner's connection (and so in its transaction), with positional parameters.</summary>
    private NpgsqlCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlCommand(sql, Connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return command;
    }

    private static void WriteNullable<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(value, type);
        }
    }
}
