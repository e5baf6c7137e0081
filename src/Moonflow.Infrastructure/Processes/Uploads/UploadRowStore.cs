using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Localization;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Processes;
using Moonflow.Infrastructure.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace Moonflow.Infrastructure.Processes.Uploads;

/// <summary>A failed row of an upload, kept as uploaded for the process's error workbook until the process ends.</summary>
internal sealed class UploadFailedRow
{
    public Guid ProcessId { get; set; }

    public long Seq { get; set; }

    public string?[] Cells { get; set; } = [];
}

internal sealed class UploadFailedRowConfiguration : IEntityTypeConfiguration<UploadFailedRow>
{
    public void Configure(EntityTypeBuilder<UploadFailedRow> builder)
    {
        builder.ToTable("upload_failed_rows", "processes");

        // Working data, dropped when the process ends: no need to write it to the WAL.
        builder.IsUnlogged();
        builder.HasKey(r => new { r.ProcessId, r.Seq });
        builder.HasOne<BulkProcess>().WithMany().HasForeignKey(r => r.ProcessId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Failed rows of every import, on the runner's connection and transaction: items and kept cells go in with binary
/// COPY; the error workbook streams them back (a data reader into the streaming xlsx writer), so neither the run nor
/// the workbook holds more than a row at a time.
/// </summary>
internal sealed class UploadRowStore(MoonflowDbContext db, IFileStorage storage, ISpreadsheetWriter writer, IOptions<UploadOptions> options) : IUploadRowStore
{
    /// <summary>The error workbook's sheet: Spanish, like the templates it is fixed from.</summary>
    private const string SheetName = "Errores";

    private NpgsqlConnection Connection => (NpgsqlConnection)db.Database.GetDbConnection();

    public async Task RecordFailuresAsync(
        Guid processId, IReadOnlyList<FailedUploadRow> failed, IReadOnlyList<SpreadsheetRow> kept, CancellationToken cancellationToken)
    {
        if (kept.Count > 0)
        {
            await using var rows = await Connection.BeginBinaryImportAsync(
                "COPY processes.upload_failed_rows (process_id, seq, cells) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var row in kept)
            {
                rows.StartRow();
                rows.Write(processId, NpgsqlDbType.Uuid);
                rows.Write(row.RowNumber, NpgsqlDbType.Bigint);
                rows.Write(row.Cells as string?[] ?? row.Cells.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            }

            await rows.CompleteAsync(cancellationToken);
        }

        if (failed.Count > 0)
        {
            await using var items = await Connection.BeginBinaryImportAsync(
                "COPY processes.process_items (process_id, seq, record_key, outcome, message) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var failure in failed)
            {
                items.WriteRow(processId, failure.Seq, Truncate(failure.RecordKey, 200), nameof(ProcessItemOutcome.Failed), Truncate(failure.Error, 2000));
            }

            await items.CompleteAsync(cancellationToken);
        }
    }

    public Task<StoredFile> WriteErrorWorkbookAsync(BulkProcess process, IReadOnlyList<string?> headers, CancellationToken cancellationToken)
    {
        var columns = headers.Select((h, i) => new SpreadsheetColumn(string.IsNullOrWhiteSpace(h) ? $"({i + 1})" : h, CellKind.Text, 22))
            .Append(new SpreadsheetColumn(Texts.Default.In(Language(process), "file.errors.error")!, CellKind.Text, 70))
            .Append(new SpreadsheetColumn(Texts.Default.In(Language(process), "file.errors.original_row")!, CellKind.Integer, 14))
            .ToList();
        return storage.SaveAsync(
            $"processes-{process.TenantId:N}", "errors.xlsx",
            (stream, token) => writer.WriteAsync(stream, SpreadsheetFormat.Xlsx, SheetName, columns, FailedRowsAsync(process, headers.Count, token), token),
            cancellationToken);
    }

    public Task DeleteAsync(Guid processId, CancellationToken cancellationToken) =>
        db.Set<UploadFailedRow>().Where(r => r.ProcessId == processId).ExecuteDeleteAsync(cancellationToken);

    /// <summary>The kept rows with their reasons, in file order; a last row says how many failures are not listed.</summary>
    private async IAsyncEnumerable<object?[]> FailedRowsAsync(BulkProcess process, int width, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT r.seq, r.cells, i.message
            FROM processes.upload_failed_rows r
            JOIN processes.process_items i ON i.process_id = r.process_id AND i.seq = r.seq AND i.outcome = 'Failed'
            WHERE r.process_id = $1
            ORDER BY r.seq LIMIT $2
            """,
            Connection);
        command.Parameters.Add(new NpgsqlParameter { Value = process.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)options.Value.MaxErrorRows });

        var say = Texts.Default.ReasonsIn(Language(process)); // the registrars' reasons are written in English, in SQL
        long listed = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var cells = reader.GetFieldValue<string?[]>(1);
                var row = new object?[width + 2];
                Array.Copy(cells, row, Math.Min(cells.Length, width));
                row[width] = reader.IsDBNull(2) ? null : say(reader.GetString(2));
                row[width + 1] = reader.GetInt64(0);
                listed++;
                yield return row;
            }
        }

        if (process.Failed > listed)
        {
            var note = new object?[width + 2];
            note[width] = Texts.Default.In(Language(process), "file.errors.more_failed_rows", listed, process.Failed);
            yield return note;
        }
    }

    /// <summary>The error workbook speaks the language of the request that started the upload (Spanish for processes older than it).</summary>
    private static string Language(BulkProcess process) => process.Language ?? Texts.DefaultLanguage;

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
