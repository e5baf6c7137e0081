namespace Moonflow.Application.Common.Spreadsheets;

/// <summary>Reads uploaded spreadsheets row by row, so an import never holds the whole file.</summary>
public interface ISpreadsheetReader
{
    /// <summary>
    /// Streams the rows of the first worksheet (xlsx) or of the file (csv), the header row included as the first row.
    /// Memory does not grow with the number of rows (an xlsx's shared strings are held). Malformed content throws
    /// <see cref="SpreadsheetFormatException"/> while enumerating.
    /// </summary>
    /// <param name="content">A seekable stream (a <see cref="FileStream"/>): xlsx is a zip, read from its end.</param>
    IAsyncEnumerable<SpreadsheetRow> ReadRowsAsync(Stream content, SpreadsheetFormat format, CancellationToken cancellationToken);
}

/// <summary>One row as text. Empty cells are null; trailing empty cells may be left out, rows without cells are.</summary>
/// <param name="RowNumber">The 1-based row of the sheet (xlsx) or record of the file (csv), as the user sees it.</param>
public sealed record SpreadsheetRow(long RowNumber, IReadOnlyList<string?> Cells)
{
    /// <summary>The cell at <paramref name="index"/>, or null where the row is shorter.</summary>
    public string? this[int index] => index < Cells.Count ? Cells[index] : null;
}
