using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Common.Time;
using Moonflow.Application.Common.Trays;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Domain.Exports;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Exports.RunExport;

public sealed record ExportProcessParameters(Guid ExportId);

/// <summary>
/// Runs a download as a long step: streams the tray's rows from the database into the file store as they come (memory flat
/// in row count, see <see cref="ITrayFileWriter"/>), reporting the rows written, outside any transaction; the file is
/// attached and the export completed in the process's final transaction. A cancelled download deletes its partial file; a
/// download interrupted by a crash is written again from the start.
/// </summary>
public sealed class ExportExecutor(
    IEnumerable<ITraySource> trays, IExportRequestRepository exports, ITrayFileWriter writer, IFileStorage files,
    TenantCalendar calendar, IOptions<ExportOptions> options, TimeProvider clock) : ILongStepExecutor
{
    public ProcessType Type => ProcessType.Export;

    public async Task<StepResult> RunStepAsync(BulkProcess process, IStepProgress progress, CancellationToken cancellationToken)
    {
        var export = await ExportOf(process, cancellationToken);
        var source = trays.For(export.Tray) ?? throw new ProcessInputException($"The {export.Tray} tray can no longer be downloaded.");
        var filters = source.BindFilters(System.Text.Json.JsonDocument.Parse(export.Filters).RootElement);
        var columns = export.Columns.Select(key => source.Columns.First(c => c.Key == key)).ToList();
        var range = new TrayRange(export.From, export.To, await calendar.ZoneAsync(cancellationToken));
        var format = export.Format == ExportFormat.Csv ? SpreadsheetFormat.Csv : SpreadsheetFormat.Xlsx;
        var fileName = $"{export.Tray}-{export.From:yyyyMMdd}-{export.To:yyyyMMdd}.{(format == SpreadsheetFormat.Csv ? "csv" : "xlsx")}";

        // Headed in the language of the request that asked for it, also when it is written at night.
        var content = new TrayFile(export.Tray, process.TenantId, range, filters, columns, format, process.Language);
        var rows = new RowsReported(progress);
        long written = 0;
        var stored = await files.SaveAsync(
            $"exports-{process.TenantId:N}", fileName, async (stream, ct) => written = await writer.WriteAsync(stream, content, rows, ct), cancellationToken);
        var contentType = format == SpreadsheetFormat.Csv ? ContentTypes.Csv : ContentTypes.Xlsx;
        return new StepResult(written, 0, [new StepFile(ProcessFileKind.Result, fileName, contentType, stored, options.Value.FileLifetime)]);
    }

    public async Task CompleteStepAsync(BulkProcess process, StepResult result, IReadOnlyList<ProcessFile> attached, CancellationToken cancellationToken)
    {
        var export = await ExportOf(process, cancellationToken);
        export.Complete(result.Succeeded, attached.Single(f => f.Kind == ProcessFileKind.Result).Id, clock.GetUtcNow());
    }

    /// <summary>However its process ended without a file (failed, cancelled), the tray is free again.</summary>
    public async Task CleanUpAsync(BulkProcess process, CancellationToken cancellationToken)
    {
        var export = await ExportOf(process, cancellationToken);
        export.End(process.Status == ProcessStatus.Cancelled ? ExportStatus.Cancelled : ExportStatus.Failed, clock.GetUtcNow());
    }

    private async Task<ExportRequest> ExportOf(BulkProcess process, CancellationToken cancellationToken) =>
        await exports.GetAsync(BulkProcessStarter.ReadParameters<ExportProcessParameters>(process).ExportId, cancellationToken)
        ?? throw new NotFoundException("Export", process.Id);

    /// <summary>The rows written so far are the download's succeeded records.</summary>
    private sealed class RowsReported(IStepProgress progress) : IProgress<long>
    {
        public void Report(long value) => progress.Report(value);
    }
}
