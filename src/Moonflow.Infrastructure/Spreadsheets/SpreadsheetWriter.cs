using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// Writes exports as the rows arrive, with memory flat in row count: xlsx as SpreadsheetML written straight into a zip
/// archive (typed cells, inline strings, a sheet per <paramref name="maxDataRowsPerSheet"/> rows), csv through a
/// buffered writer. Text is neutralised against formula injection in both. The output need not seek: each zip entry
/// is deflated into it as the entry is written.
/// </summary>
/// <param name="maxDataRowsPerSheet">Data rows per xlsx sheet before the next one starts; Excel's limit unless a test says otherwise.</param>
public sealed class SpreadsheetWriter(int maxDataRowsPerSheet) : ISpreadsheetWriter
{
    /// <summary>Excel's 1,048,576 rows less the header row.</summary>
    public const int ExcelMaxDataRowsPerSheet = 1_048_575;

    /// <summary>Excel's last column is XFD.</summary>
    private const int ExcelMaxColumns = 16_384;

    private readonly int maxDataRowsPerSheet = maxDataRowsPerSheet is >= 1 and <= ExcelMaxDataRowsPerSheet
        ? maxDataRowsPerSheet
        : throw new ArgumentOutOfRangeException(nameof(maxDataRowsPerSheet), maxDataRowsPerSheet, $"A sheet holds 1 to {ExcelMaxDataRowsPerSheet:N0} data rows.");

    public SpreadsheetWriter()
        : this(ExcelMaxDataRowsPerSheet)
    {
    }

    public Task<long> WriteAsync(
        Stream output,
        SpreadsheetFormat format,
        string sheetName,
        IReadOnlyList<SpreadsheetColumn> columns,
        IAsyncEnumerable<object?[]> rows,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        if (columns.Count is 0 or > ExcelMaxColumns)
        {
            throw new ArgumentException($"A spreadsheet has 1 to {ExcelMaxColumns:N0} columns.", nameof(columns));
        }

        return format switch
        {
            SpreadsheetFormat.Xlsx => XlsxWorkbookWriter.WriteAsync(output, sheetName, columns, rows, maxDataRowsPerSheet, cancellationToken),
            SpreadsheetFormat.Csv => CsvRowWriter.WriteAsync(output, columns, rows, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown spreadsheet format."),
        };
    }
}
