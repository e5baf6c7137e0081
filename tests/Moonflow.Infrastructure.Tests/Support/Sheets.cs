using System.Runtime.CompilerServices;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Infrastructure.Spreadsheets;

namespace Moonflow.Infrastructure.Tests.Support;

/// <summary>Writes and reads spreadsheets through the real adapters and real files, as the application does.</summary>
internal static class Sheets
{
    public static async Task<long> WriteAsync(
        string path, SpreadsheetFormat format, IReadOnlyList<SpreadsheetColumn> columns, IEnumerable<object?[]> rows,
        string sheetName = "Data", int maxDataRowsPerSheet = SpreadsheetWriter.ExcelMaxDataRowsPerSheet)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        return await new SpreadsheetWriter(maxDataRowsPerSheet).WriteAsync(file, format, sheetName, columns, Async(rows), CancellationToken.None);
    }

    public static async Task<List<SpreadsheetRow>> ReadAsync(string path, SpreadsheetFormat format)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        var rows = new List<SpreadsheetRow>();
        await foreach (var row in new SpreadsheetReader().ReadRowsAsync(file, format, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    public static async Task<List<SpreadsheetRow>> ReadTextAsync(TempFolder folder, string csv)
    {
        var path = folder.File($"{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, csv);
        return await ReadAsync(path, SpreadsheetFormat.Csv);
    }

    public static async IAsyncEnumerable<object?[]> Async(IEnumerable<object?[]> rows, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.CompletedTask;
            yield return row;
        }
    }
}
