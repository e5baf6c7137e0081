using System.Text.Json;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Domain.Common;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes.Uploads;

/// <summary>
/// What an upload's parameters keep: the file's name and format, its header row and where each column is, whether
/// it is a dry run, and the import's own settings (a lot, key fields, …) as the request gave them. The file itself is
/// the process's <see cref="ProcessFileKind.Upload"/> file.
/// </summary>
public sealed record UploadParameters(
    string FileName,
    SpreadsheetFormat Format,
    IReadOnlyList<string?> Headers,
    IReadOnlyDictionary<string, int> Columns,
    bool DryRun = false,
    JsonElement? Settings = null)
{
    public static UploadParameters Read(BulkProcess process) => BulkProcessStarter.ReadParameters<UploadParameters>(process);

    /// <summary>The import's own settings, as given to <see cref="UploadImportStarter.StartAsync{TRow}"/>.</summary>
    public ImportSettings ReadSettings() => new(Settings);
}

/// <summary>
/// Accepts an upload for an import: receives the file (its size checked as it streams), tells its format by its
/// content (xlsx or csv, else 415), checks its header row (a missing required
/// column is a 400 naming it, before anything runs) and logs the process, whose job does the rest. A refused upload
/// leaves no file behind.
/// </summary>
public sealed class UploadImportStarter(
    BulkProcessStarter starter, IFileStorage files, ISpreadsheetReader reader, IUnitOfWork unitOfWork, ICurrentUser user, IOptions<ProcessOptions> options)
{
    /// <summary>The form field (or query parameter) that asks for a dry run.</summary>
    public const string DryRunField = "dryRun";

    private const int MaxLabelLength = 300;

    /// <param name="dryRun">Asked in the query string; the form field <c>dryRun</c> may ask for it too.</param>
    /// <param name="settings">The import's own choices, validated by its command; kept in the parameters.</param>
    public Task<ProcessAccepted> StartAsync<TRow>(
        IImportDefinition<TRow> import, IUploadedFile upload, bool dryRun, object? settings, CancellationToken cancellationToken)
        where TRow : notnull =>
        StartAsync(import, upload, dryRun, (_, _) => Task.FromResult(settings), cancellationToken);

    /// <summary>
    /// As <see cref="StartAsync{TRow}(IImportDefinition{TRow}, IUploadedFile, bool, object?, CancellationToken)"/>, for an
    /// import whose settings travel in the form beside the file (a lot's name, key fields): they can only be read once the
    /// form has been received, so <paramref name="settings"/> reads them from its text fields (see <see cref="ImportForm"/>)
    /// and checks them. A refusal there (400, or 404 for another tenant's id) leaves no file behind, like any other.
    /// </summary>
    public async Task<ProcessAccepted> StartAsync<TRow>(
        IImportDefinition<TRow> import, IUploadedFile upload, bool dryRun,
        Func<ImportForm, CancellationToken, Task<object?>> settings, CancellationToken cancellationToken)
        where TRow : notnull
    {
        // Received outside any transaction: a slow client must not hold a database connection while it sends.
        var received = await upload.ReceiveAsync($"uploads-{user.TenantId:N}", cancellationToken);
        var accepted = false;
        try
        {
            dryRun = dryRun || AsksForDryRun(received.Fields);
            var chosen = await settings(new ImportForm(received.Fields), cancellationToken);
            var format = await SniffAsync(received, cancellationToken);
            var headers = await ReadHeaderRowAsync(received, format, cancellationToken);
            var choices = chosen is null ? (JsonElement?)null : JsonSerializer.SerializeToElement(chosen, BulkProcessStarter.ParameterJson);
            var formatColumns = await import.ColumnsAsync(new ImportSettings(choices), cancellationToken);
            var columns = ImportHeaders.Map(formatColumns, headers);
            // Exact headers: every column must be there, a column whose cells may be blank too (an entity's optional field).
            var missing = import.HeadersMustMatchExactly ? formatColumns.Where(c => !columns.ContainsKey(c.Key)).ToList() : ImportHeaders.Missing(formatColumns, columns);
            var unexpected = import.HeadersMustMatchExactly ? ImportHeaders.Unexpected(columns, headers) : [];
            if (unexpected.Count > 0)
            {
                throw new DomainValidationException("file", ImportHeaders.DescribeExact(formatColumns, missing, unexpected));
            }

            if (missing.Count > 0)
            {
                throw new DomainValidationException(
                    "file", import.HeadersMustMatchExactly ? ImportHeaders.DescribeExact(formatColumns, missing, []) : ImportHeaders.DescribeMissing(missing));
            }

            var parameters = new UploadParameters(received.FileName, format, headers, columns, dryRun, choices);
            return await unitOfWork.InTransactionAsync(
                () =>
                {
                    // Runs first after the commit: from then on the process owns the file, whatever happens next.
                    unitOfWork.AfterCommit(() =>
                    {
                        accepted = true;
                        return Task.CompletedTask;
                    });
                    return starter.StartConfiguredAsync(
                        import.ProcessType, Label(import, received.FileName, dryRun), parameters,
                        process => process.AttachFile(
                            ProcessFileKind.Upload, received.FileName, format == SpreadsheetFormat.Xlsx ? ContentTypes.Xlsx : ContentTypes.Csv,
                            received.File.Key, received.File.SizeBytes, process.QueuedAt, options.Value.FileLifetime),
                        cancellationToken);
                },
                cancellationToken);
        }
        finally
        {
            if (!accepted)
            {
                await files.DeleteAsync(received.File.Key, CancellationToken.None);
            }
        }
    }

    private static bool AsksForDryRun(IReadOnlyDictionary<string, string> fields) =>
        fields.TryGetValue(DryRunField, out var value) && (bool.TryParse(value.Trim(), out var dryRun)
            ? dryRun
            : throw new DomainValidationException(DryRunField, $"'{value}' is not a dry run choice; send true or false."));

    /// <summary>
    /// The import's label with the file name as its argument, so the label's words are said in the reader's language
    /// (<c>process.{type}</c>, or <c>process.{type}.dry_run</c>): an import's label is its words around the file name.
    /// </summary>
    private static ErrorText Label<TRow>(IImportDefinition<TRow> import, string fileName, bool dryRun)
        where TRow : notnull
    {
        var template = import.Label("{0}");
        template = dryRun ? $"{template} (dry run)" : template;
        var room = MaxLabelLength - (template.Length - 3);
        return ErrorText.FromTemplate(template, fileName.Length <= room ? fileName : fileName[..Math.Max(room - 1, 0)] + "…");
    }

    /// <summary>The format by content, never by name: not xlsx or csv → 415; empty → 400.</summary>
    private async Task<SpreadsheetFormat> SniffAsync(ReceivedUpload upload, CancellationToken cancellationToken)
    {
        if (upload.File.SizeBytes == 0)
        {
            throw new DomainValidationException("file", "The file is empty.");
        }

        await using var content = await files.OpenReadAsync(upload.File.Key, cancellationToken);
        return SpreadsheetSniffer.Detect(content)
            ?? throw new UnsupportedFileException($"'{upload.FileName}' is not an .xlsx workbook or a .csv file (checked by its content).");
    }

    private async Task<IReadOnlyList<string?>> ReadHeaderRowAsync(ReceivedUpload upload, SpreadsheetFormat format, CancellationToken cancellationToken)
    {
        await using var content = await files.OpenReadAsync(upload.File.Key, cancellationToken);
        await foreach (var row in reader.ReadRowsAsync(content, format, cancellationToken))
        {
            return row.Cells;
        }

        throw new DomainValidationException("file", "The file is empty: it has no header row.");
    }
}
