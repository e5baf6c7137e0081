using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Localization;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Processes.Execution;
using Moonflow.Domain.Processes;
using Moonflow.Infrastructure.Persistence;
using OfficeOpenXml;

namespace Moonflow.Infrastructure.Processes;

/// <summary>
/// The error workbook of a process: one row per failed record with its reason. EPPlus builds it in memory,
/// which suits a report of failures (bounded by <see cref="MaxRows"/>); data exports use a streaming writer.
/// </summary>
internal sealed class ProcessErrorReportWriter(MoonflowDbContext db, IFileStorage storage) : IProcessErrorReportWriter
{
    public const int MaxRows = 100_000;

    public async Task<StoredFile> WriteAsync(BulkProcess process, CancellationToken cancellationToken)
    {
        var failed = await db.Set<ProcessItem>().AsNoTracking()
            .Where(i => i.ProcessId == process.Id && i.Outcome == ProcessItemOutcome.Failed)
            .OrderBy(i => i.Seq)
            .Take(MaxRows)
            .Select(i => new { i.Seq, i.RecordKey, i.Message })
            .ToListAsync(cancellationToken);

        using var package = new ExcelPackage();
        var sheet = package.Workbook.Worksheets.Add("Errors");
        var language = process.Language ?? Texts.DefaultLanguage; // the language of the request that started the process
        string[] headers = ["#", Texts.Default.In(language, "file.errors.record")!, Texts.Default.In(language, "file.errors.error")!];
        for (var c = 0; c < headers.Length; c++)
        {
            sheet.Cells[1, c + 1].Value = headers[c];
            sheet.Cells[1, c + 1].Style.Font.Bold = true;
        }

        var say = Texts.Default.ReasonsIn(language);
        var row = 2;
        foreach (var item in failed)
        {
            sheet.Cells[row, 1].Value = item.Seq;
            sheet.Cells[row, 2].Value = SpreadsheetText.Neutralize(item.RecordKey);
            sheet.Cells[row, 3].Value = SpreadsheetText.Neutralize(say(item.Message));
            row++;
        }

        if (process.Failed > MaxRows)
        {
            sheet.Cells[row, 3].Value = Texts.Default.In(language, "file.errors.more_failures", MaxRows, process.Failed);
        }

        // AutoFitColumns needs GDI+, which Linux lacks: fixed widths instead.
        sheet.Column(1).Width = 10;
        sheet.Column(2).Width = 40;
        sheet.Column(3).Width = 80;
        sheet.View.FreezePanes(2, 1);

        return await storage.SaveAsync(
            $"processes-{process.TenantId:N}", "errors.xlsx", (stream, _) => { package.SaveAs(stream); return Task.CompletedTask; }, cancellationToken);
    }
}
