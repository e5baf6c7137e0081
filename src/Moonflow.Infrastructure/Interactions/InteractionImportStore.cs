using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Interactions.ImportInteractions;
using Moonflow.Application.Processes.Execution;
using Moonflow.Domain.Interactions;
using Moonflow.Domain.Processes;
using Moonflow.Domain.Receivables;
using Moonflow.Infrastructure.Persistence;
using Npgsql;
using NpgsqlTypes;
using OfficeOpenXml;

namespace Moonflow.Infrastructure.Interactions;

/// <summary>An uploaded row that could not be registered, kept as uploaded for the process's error workbook.</summary>
internal sealed class ImportRow
{
    public Guid ProcessId { get; set; }

    public long Seq { get; set; }

    public string?[] Cells { get; set; } = [];
}

internal sealed class ImportRowConfiguration : IEntityTypeConfiguration<ImportRow>
{
    public void Configure(EntityTypeBuilder<ImportRow> builder)
    {
        builder.ToTable("import_rows", "interactions");

        // Working data, dropped when the process ends: no need to write it to the WAL.
        builder.IsUnlogged();
        builder.HasKey(r => new { r.ProcessId, r.Seq });
        builder.HasOne<BulkProcess>().WithMany().HasForeignKey(r => r.ProcessId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Registration of uploaded communications on the runner's connection and transaction: a chunk's valid rows are
/// COPYed (binary) into a temporary staging table and inserted from there in one statement that skips duplicates
/// (the unique "same communication" index) and writes every row's item; failed rows and their items go in with COPY.
/// Lookups read on a connection of their own, so that they can run while that one is busy.
/// </summary>
internal sealed class InteractionImportStore(MoonflowDbContext db, NpgsqlDataSource dataSource, IFileStorage storage) : IInteractionImportStore
{
    private const string DuplicateMessage = "Already registered: same client, channel, send time and recipients.";
    private const int MaxErrorRows = 100_000;

    private NpgsqlConnection Connection => (NpgsqlConnection)db.Database.GetDbConnection();

    public async Task<IReadOnlyDictionary<(DocumentType Type, string Number), ClientRef>> FindClientsAsync(
        Guid tenantId, IReadOnlyCollection<(DocumentType Type, string Number)> documents, CancellationToken cancellationToken)
    {
        var wanted = documents.ToList();
        var found = new Dictionary<(DocumentType, string), ClientRef>(wanted.Count);
        if (wanted.Count == 0)
        {
            return found;
        }

        // Matches come back by their place in the list sent, not with the document read back and parsed again.
        await using var command = dataSource.CreateCommand(
            """
            SELECT d.position, c.id, c.name
            FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS d(type, number, position)
            JOIN receivables.clients c ON c.tenant_id = $1 AND c.document_type = d.type AND c.document_number = d.number
            """);
        AddParameters(command, tenantId, wanted.Select(d => d.Type.ToString()).ToArray(), wanted.Select(d => d.Number).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[wanted[(int)reader.GetInt64(0) - 1]] = new ClientRef(reader.GetGuid(1), reader.GetString(2));
        }

        return found;
    }

    public async Task<IReadOnlyDictionary<string, AdvisorRef>> FindAdvisorsAsync(Guid tenantId, IReadOnlyCollection<string> emails, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, AdvisorRef>(StringComparer.Ordinal);
        if (emails.Count == 0)
        {
            return found;
        }

        await using var command = dataSource.CreateCommand("SELECT email, id, display_name FROM identity.users WHERE tenant_id = $1 AND email = ANY($2)");
        AddParameters(command, tenantId, emails.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[reader.GetString(0)] = new AdvisorRef(reader.GetGuid(1), reader.GetString(2));
        }

        return found;
    }

    public async Task<ChunkOutcome> RegisterAsync(
        BulkProcess process, IReadOnlyList<(long Seq, string RecordKey, Interaction Interaction)> candidates,
        IReadOnlyList<FailedImportRow> failures, CancellationToken cancellationToken)
    {
        long created = 0, duplicates = 0;
        if (candidates.Count > 0)
        {
            await CopyCandidatesAsync(candidates, cancellationToken);

            // Rows go in in file order, so of two identical rows the first is the one created. The unique "same
            // communication" index has the last word on duplicates, against earlier uploads and concurrent ones; it is
            // the only arbiter (an id collision is no duplicate, and checking the primary key too costs a probe per row).
            await using var command = Command(
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
                SELECT count(*) FILTER (WHERE outcome = 'Created'), count(*) FROM items
                """,
                process.Id, DuplicateMessage);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            created = reader.GetInt64(0);
            duplicates = reader.GetInt64(1) - created;
        }

        if (failures.Count > 0)
        {
            await CopyFailuresAsync(process.Id, failures, cancellationToken);
        }

        var lastSeq = candidates.Select(c => c.Seq).Concat(failures.Select(f => f.Seq)).DefaultIfEmpty(process.Checkpoint).Max();
        return new ChunkOutcome(created + duplicates, failures.Count, lastSeq);
    }

    public async Task<StoredFile> WriteErrorWorkbookAsync(BulkProcess process, IReadOnlyList<string?> headers, CancellationToken cancellationToken)
    {
        var failed = await db.Database.SqlQuery<FailedRow>($"""
            SELECT r.seq AS "Seq", r.cells AS "Cells", i.message AS "Message"
            FROM interactions.import_rows r
            JOIN processes.process_items i ON i.process_id = r.process_id AND i.seq = r.seq AND i.outcome = 'Failed'
            WHERE r.process_id = {process.Id}
            ORDER BY r.seq LIMIT {MaxErrorRows}
            """).ToListAsync(cancellationToken);

        using var package = new ExcelPackage();
        var sheet = package.Workbook.Worksheets.Add("Errores");
        var errorColumn = headers.Count + 1;
        for (var c = 0; c < headers.Count; c++)
        {
            sheet.Cells[1, c + 1].Value = headers[c];
            sheet.Column(c + 1).Width = 22;
        }

        sheet.Cells[1, errorColumn].Value = "Error";
        sheet.Cells[1, errorColumn + 1].Value = "Fila original";
        sheet.Cells[1, 1, 1, errorColumn + 1].Style.Font.Bold = true;
        sheet.Column(errorColumn).Width = 70;
        sheet.Column(errorColumn + 1).Width = 14;

        var row = 2;
        foreach (var failure in failed)
        {
            for (var c = 0; c < failure.Cells.Length && c < headers.Count; c++)
            {
                sheet.Cells[row, c + 1].Value = SpreadsheetText.Neutralize(failure.Cells[c]);
            }

            sheet.Cells[row, errorColumn].Value = SpreadsheetText.Neutralize(failure.Message);
            sheet.Cells[row, errorColumn + 1].Value = failure.Seq;
            row++;
        }

        sheet.View.FreezePanes(2, 1);
        return await storage.SaveAsync(
            $"processes-{process.TenantId:N}", "errors.xlsx", (stream, _) => { package.SaveAs(stream); return Task.CompletedTask; }, cancellationToken);
    }

    public Task DeleteFailedRowsAsync(Guid processId, CancellationToken cancellationToken) =>
        db.Set<ImportRow>().Where(r => r.ProcessId == processId).ExecuteDeleteAsync(cancellationToken);

    private async Task CopyCandidatesAsync(IReadOnlyList<(long Seq, string RecordKey, Interaction Interaction)> candidates, CancellationToken cancellationToken)
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
        foreach (var (seq, recordKey, i) in candidates)
        {
            importer.StartRow();
            importer.Write(seq, NpgsqlDbType.Bigint);
            importer.Write(recordKey, NpgsqlDbType.Text);
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

    private async Task CopyFailuresAsync(Guid processId, IReadOnlyList<FailedImportRow> failures, CancellationToken cancellationToken)
    {
        await using (var rows = await Connection.BeginBinaryImportAsync(
            "COPY interactions.import_rows (process_id, seq, cells) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var failure in failures)
            {
                rows.StartRow();
                rows.Write(processId, NpgsqlDbType.Uuid);
                rows.Write(failure.Seq, NpgsqlDbType.Bigint);
                rows.Write(failure.Cells as string?[] ?? failure.Cells.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            }

            await rows.CompleteAsync(cancellationToken);
        }

        await using var items = await Connection.BeginBinaryImportAsync(
            "COPY processes.process_items (process_id, seq, record_key, outcome, message) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var failure in failures)
        {
            items.WriteRow(processId, failure.Seq, Truncate(failure.RecordKey, 200), nameof(ProcessItemOutcome.Failed), Truncate(failure.Error, 2000));
        }

        await items.CompleteAsync(cancellationToken);
    }

    /// <summary>A command on the runner's connection (and so in its transaction), with positional parameters.</summary>
    private NpgsqlCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlCommand(sql, Connection);
        AddParameters(command, parameters);
        return command;
    }

    private static void AddParameters(NpgsqlCommand command, params object[] parameters)
    {
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
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

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    private sealed class FailedRow
    {
        public long Seq { get; init; }

        public string?[] Cells { get; init; } = [];

        public string? Message { get; init; }
    }
}
