// Streaming spreadsheet measurement: one case per process, so each peak working set is that case's alone.
//   dotnet run -c Release --artifacts-path /tmp/mf-sheets-artifacts -- <case> [rows] [folder]
// Cases: generate (baseline: rows built, nothing written), xlsx (the product's writer), xlsx-miniexcel, csv, read-xlsx
// (reads the xlsx output), read-csv (reads the csv output). run.sh runs them all and prints the table.
using System.Diagnostics;
using System.Globalization;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Infrastructure.Spreadsheets;

var benchCase = args.Length > 0 ? args[0] : "xlsx";
var rowCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
var folder = args.Length > 2 ? args[2] : Path.Combine(Path.GetTempPath(), "mf-bench-spreadsheets");
Directory.CreateDirectory(folder);

SpreadsheetColumn[] columns =
[
    new("Due date", CellKind.Date), new("Sent at", CellKind.DateTime, 20), new("Amount", CellKind.Money), new("Balance", CellKind.Money),
    new("Attempts", CellKind.Integer), new("Client", CellKind.Text, 24), new("Document", CellKind.Text), new("Channel", CellKind.Text),
    new("Status", CellKind.Text), new("Campaign", CellKind.Text), new("Template", CellKind.Text), new("Advisor", CellKind.Text),
];

var stopwatch = Stopwatch.StartNew();
long rows;
string? output = null;
switch (benchCase)
{
    case "generate":
        rows = 0;
        await foreach (var row in Generate(rowCount))
        {
            rows += row.Length > 0 ? 1 : 0;
        }

        break;
    case "xlsx":
    case "csv":
        var format = benchCase == "csv" ? SpreadsheetFormat.Csv : SpreadsheetFormat.Xlsx;
        output = Path.Combine(folder, benchCase == "csv" ? "bench.csv" : "bench.xlsx");
        await using (var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            rows = await new SpreadsheetWriter().WriteAsync(file, format, "Interactions", columns, Generate(rowCount), CancellationToken.None);
        }

        break;
    case "xlsx-miniexcel":
        output = Path.Combine(folder, "bench-miniexcel.xlsx");
        var configuration = new OpenXmlConfiguration
        {
            FreezeRowCount = 1,
            DynamicColumns =
            [
                new("DueDate") { Name = "Due date", Format = "yyyy-mm-dd" },
                new("SentAt") { Name = "Sent at", Format = "yyyy-mm-dd hh:mm", Width = 20 },
                new("Amount") { Format = "#,##0.00" },
                new("Balance") { Format = "#,##0.00" },
                new("Client") { Width = 24 },
            ],
        };
        await using (var file = new FileStream(output, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, useAsync: true))
        {
            await MiniExcel.SaveAsAsync(file, GeneratePocos(rowCount), sheetName: "Interactions", configuration: configuration);
        }

        rows = rowCount;
        break;
    case "read-xlsx":
    case "read-csv":
        var csv = benchCase == "read-csv";
        var input = Path.Combine(folder, csv ? "bench.csv" : "bench.xlsx");
        long characters = 0;
        rows = 0;
        await using (var file = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
        {
            await foreach (var row in new SpreadsheetReader().ReadRowsAsync(file, csv ? SpreadsheetFormat.Csv : SpreadsheetFormat.Xlsx, CancellationToken.None))
            {
                rows++;
                foreach (var cell in row.Cells)
                {
                    characters += cell?.Length ?? 0;
                }
            }
        }

        rows--; // the header row
        Console.Error.WriteLine($"read {characters:N0} characters");
        break;
    default:
        Console.Error.WriteLine($"Unknown case '{benchCase}'.");
        return 2;
}

stopwatch.Stop();
using var process = Process.GetCurrentProcess();
process.Refresh();
var size = output is null ? "" : $"{new FileInfo(output).Length / 1_048_576.0:F1}";
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {benchCase} | {rows:N0} | {stopwatch.Elapsed.TotalSeconds:F1} | {rows / stopwatch.Elapsed.TotalSeconds:N0} | {process.TotalProcessorTime.TotalSeconds:F1} | {process.PeakWorkingSet64 / 1_048_576.0:F0} | {GC.GetTotalAllocatedBytes() / 1_048_576.0:N0} | {size} |"));
return 0;

// 2 dates/datetimes, 2 money, 1 integer, 7 texts of about 20 characters.
static async IAsyncEnumerable<object?[]> Generate(int count)
{
    var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    for (var i = 1; i <= count; i++)
    {
        yield return
        [
            new DateOnly(2020, 1, 1).AddDays(i % 2_000), start.AddSeconds(i * 37L), i * 1.25m, (i % 10_000 * 3.10m) - 500m, (long)i * 7,
            $"Cliente {i:D8} S.A.S", $"CC-{i:D10}-0001", $"WhatsApp canal {i % 7:D4}", $"Entregado estado {i % 5:D3}",
            $"Campaña {i % 97:D4} cobranza", $"Plantilla {i % 31:D4} aviso", $"Asesor {i % 211:D5} turno",
        ];
        if (i % 10_000 == 0)
        {
            await Task.Yield();
        }
    }
}

static IEnumerable<BenchRow> GeneratePocos(int count)
{
    var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    for (var i = 1; i <= count; i++)
    {
        yield return new BenchRow
        {
            DueDate = new DateTime(2020, 1, 1).AddDays(i % 2_000), SentAt = start.AddSeconds(i * 37L), Amount = i * 1.25m,
            Balance = (i % 10_000 * 3.10m) - 500m, Attempts = (long)i * 7, Client = $"Cliente {i:D8} S.A.S", Document = $"CC-{i:D10}-0001",
            Channel = $"WhatsApp canal {i % 7:D4}", Status = $"Entregado estado {i % 5:D3}", Campaign = $"Campaña {i % 97:D4} cobranza",
            Template = $"Plantilla {i % 31:D4} aviso", Advisor = $"Asesor {i % 211:D5} turno",
        };
    }
}

internal sealed class BenchRow
{
    public DateTime DueDate { get; init; }

    public DateTime SentAt { get; init; }

    public decimal Amount { get; init; }

    public decimal Balance { get; init; }

    public long Attempts { get; init; }

    public string Client { get; init; } = "";

    public string Document { get; init; } = "";

    public string Channel { get; init; } = "";

    public string Status { get; init; } = "";

    public string Campaign { get; init; } = "";

    public string Template { get; init; } = "";

    public string Advisor { get; init; } = "";
}
