namespace Moonflow.Application.Common.Spreadsheets;

/// <summary>Writes exports row by row, as the rows come, so memory stays flat however many there are.</summary>
public interface ISpreadsheetWriter
{
    /// <summary>
    /// Writes a header row with the column headers, then <paramref name="rows"/>, and returns how many data rows were
    /// written. Values per column kind: Text → string (other values are written with invariant formatting),
    /// Integer → long or int, Decimal and Money → decimal, Date → DateOnly or DateTime, DateTime → DateTimeOffset or
    /// DateTime; null → an empty cell. An xlsx sheet past 1,048,575 data rows continues in "{sheetName} (2)", ….
    /// </summary>
    /// <param name="output">Any writable stream, a file or a response body: it need not seek. It is left open.</param>
    Task<long> WriteAsync(
        Stream output,
        SpreadsheetFormat format,
        string sheetName,
        IReadOnlyList<SpreadsheetColumn> columns,
        IAsyncEnumerable<object?[]> rows,
        CancellationToken cancellationToken);
}

/// <param name="Width">Column width in characters (xlsx only).</param>
public sealed record SpreadsheetColumn(string Header, CellKind Kind, double Width = 18);

public enum CellKind
{
    Text,
    Integer,
    Decimal,

    /// <summary>A decimal shown with two decimals and thousands separators.</summary>
    Money,

    /// <summary>A calendar date, without time or zone.</summary>
    Date,

    /// <summary>
    /// An instant: a DateTimeOffset is written as its own wall-clock time (give it in the zone the reader expects);
    /// a DateTime is written in UTC (a local one is converted, an unspecified one is taken as UTC).
    /// </summary>
    DateTime,
}
