using MediatR;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Processes;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Domain.Common;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Interactions.ImportInteractions;

/// <summary>
/// Registers communications made outside the platform from an uploaded spreadsheet (nothing is sent).
/// The file is already stored and known to be xlsx or csv; here its header row is checked, then a process
/// takes over: every row becomes an item (created, duplicate or failed).
/// </summary>
[RequiresPermission(Permissions.InteractionsImport)]
public sealed record ImportInteractionsCommand(string StorageKey, string FileName, SpreadsheetFormat Format, long SizeBytes)
    : IRequest<ProcessAccepted>, ITransactionalCommand;

public sealed record InteractionImportParameters(
    string FileName, string StorageKey, SpreadsheetFormat Format, IReadOnlyList<string?> Headers, IReadOnlyDictionary<string, int> Columns);

public sealed class ImportInteractionsCommandHandler(
    BulkProcessStarter starter, IFileStorage files, ISpreadsheetReader reader, IOptions<ProcessOptions> options)
    : IRequestHandler<ImportInteractionsCommand, ProcessAccepted>
{
    public async Task<ProcessAccepted> Handle(ImportInteractionsCommand request, CancellationToken cancellationToken)
    {
        var headers = await ReadHeaderRowAsync(request, cancellationToken);
        var columns = InteractionImportColumns.MapHeaders(headers);
        var missing = InteractionImportColumns.Missing(columns);
        if (missing.Count > 0)
        {
            throw new DomainValidationException(
                "file", $"The file lacks required columns: {string.Join(", ", missing.Select(c => $"{c.HeaderEs} ({c.HeaderEn})"))}. Download the template to see them.");
        }

        var parameters = new InteractionImportParameters(request.FileName, request.StorageKey, request.Format, headers, columns);
        return await starter.StartConfiguredAsync(
            ProcessType.InteractionsImport, $"Bulk communications upload: {request.FileName}", parameters,
            process => process.AttachFile(
                ProcessFileKind.Upload, request.FileName, request.Format == SpreadsheetFormat.Xlsx ? ContentTypes.Xlsx : ContentTypes.Csv,
                request.StorageKey, request.SizeBytes, process.QueuedAt, options.Value.FileLifetime),
            cancellationToken);
    }

    private async Task<IReadOnlyList<string?>> ReadHeaderRowAsync(ImportInteractionsCommand request, CancellationToken cancellationToken)
    {
        await using var content = await files.OpenReadAsync(request.StorageKey, cancellationToken);
        await foreach (var row in reader.ReadRowsAsync(content, request.Format, cancellationToken))
        {
            return row.Cells;
        }

        throw new DomainValidationException("file", "The file is empty: it has no header row.");
    }
}
