using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;
using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// The rows of an xlsx's first worksheet, read over the UTF-8 bytes of its parts by <see cref="XlsxPartReader"/>, which
/// allocates nothing per element: a row costs its array and its cells' strings. The package is a zip read from the file
/// (<see cref="XlsxPackage"/>), parts are unpacked as they are parsed, and only the current row, the shared strings and
/// the styles' date formats are held. Every part is held to the <see cref="SpreadsheetLimits"/>, as are rows and cells.
/// </summary>
internal static class XlsxRowReader
{
    /// <summary>Rows read between yields to the caller's scheduler: parts are read synchronously.</summary>
    private const int RowsPerYield = 1_000;

    /// <summary>The control characters XML does not allow (all below a space but tab, line feed and carriage return).</summary>
    private static readonly SearchValues<byte> ForbiddenControlBytes =
        SearchValues.Create([0, 1, 2, 3, 4, 5, 6, 7, 8, 0x0B, 0x0C, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F]);

    public static async IAsyncEnumerable<SpreadsheetRow> ReadAsync(
        Stream content, SpreadsheetLimits limits, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var rows = ReadRows(content, limits).GetEnumerator();
        var sinceYield = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SpreadsheetRow row;
            try
            {
                if (!rows.MoveNext())
                {
                    yield break;
                }

                row = rows.Current;
            }
            catch (Exception exception) when (Describe(exception) is { } reason)
            {
                // Zip and XML exceptions mean nothing to the person who uploaded the file.
                throw NotAWorkbook(reason, exception);
            }

            yield return row;
            if (++sinceYield == RowsPerYield)
            {
                sinceYield = 0;
                await Task.Yield();
            }
        }
    }

    internal static SpreadsheetFormatException NotAWorkbook(string reason, Exception? innerException = null) =>
        new($"The file is not a valid .xlsx workbook: {reason}.", innerException);

    /// <summary>A text that would not fit in a cell, as the user should hear of it.</summary>
    internal static SpreadsheetFormatException CellTooLong(string where, string length, SpreadsheetLimits limits) => new(string.Create(
        CultureInfo.InvariantCulture,
        $"{where} holds {length} characters; a cell may hold at most {limits.MaxCellCharacters:N0}{(limits.MaxCellCharacters == SpreadsheetLimits.ExcelMaxCellCharacters ? " (as in Excel)" : string.Empty)}. Shorten it and upload the file again."));

    /// <summary>Whether UTF-8 text holds a control character XML does not allow; its code if so.</summary>
    internal static bool HasForbiddenControl(ReadOnlySpan<byte> utf8, out byte code)
    {
        var at = utf8.IndexOfAny(ForbiddenControlBytes);
        code = at >= 0 ? utf8[at] : (byte)0;
        return at >= 0;
    }

    /// <summary>What a damaged workbook's exception means to a user; null for failures that are not the file's fault.</summary>
    private static string? Describe(Exception exception) => exception switch
    {
        InvalidDataException => "the zip archive is damaged",
        DecoderFallbackException => "its text is not valid UTF-8",
        XlsxMarkupException markup => string.Create(
            CultureInfo.InvariantCulture, $"its XML is damaged (line {markup.LineNumber}, position {markup.LinePosition}{(markup.PartName.Length > 0 ? " of " + markup.PartName : string.Empty)}): {markup.Reason}"),
        XmlException xml => string.Create(CultureInfo.InvariantCulture, $"its XML is damaged (line {xml.LineNumber}, position {xml.LinePosition})"),
        FormatException or OverflowException => "it holds a value in an invalid format",
        _ => null,
    };

    private static IEnumerable<SpreadsheetRow> ReadRows(Stream content, SpreadsheetLimits limits)
    {
        using var package = XlsxPackage.Open(content, limits);
        var workbook = XlsxWorkbook.Read(package);
        using var sharedStrings = new XlsxSharedStrings(package, workbook.SharedStringsPart);
        var dateStyles = workbook.StylesPart is { } styles ? XlsxWorkbook.ReadDateStyles(package, styles) : [];

        using var reader = package.OpenPart(workbook.SheetPart, XlsxPartLimit.Sheet(limits));
        var context = new SheetContext(sharedStrings, dateStyles, workbook.Date1904, limits);
        var cells = new List<string?>();
        long rowNumber = 0;
        long physicalRows = 0;
        while (reader.Read())
        {
            if (reader.Token != XlsxPartToken.StartElement || !reader.IsMain || !reader.LocalName.SequenceEqual("row"u8))
            {
                continue;
            }

            // Empty rows are counted too: millions of them cost as much to read as rows with cells.
            if (++physicalRows > limits.MaxRows + 1)
            {
                throw new SpreadsheetFormatException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The sheet has more than {limits.MaxRows:N0} rows after its header row (empty rows count too). Split it into files of at most {limits.MaxRows:N0} rows, or delete the empty rows at its end, and upload them again."));
            }

            var number = reader.TryGetAttribute("r"u8, out var r) && TryParseDigits(r, out var parsed) ? parsed : rowNumber + 1;
            if (number <= rowNumber)
            {
                // Excel refuses such a sheet too; row numbers are what an upload's results refer to.
                throw NotAWorkbook($"its row {number} is out of order");
            }

            rowNumber = number;
            cells.Clear();
            if (!reader.IsEmptyElement)
            {
                ReadCells(reader, rowNumber, cells, context);
            }

            // Trailing empty cells are trimmed; a row with no value at all is left out.
            var count = cells.Count;
            while (count > 0 && cells[count - 1] is null)
            {
                count--;
            }

            if (count > 0)
            {
                var values = new string?[count];
                cells.CopyTo(0, values, 0, count);
                yield return new SpreadsheetRow(rowNumber, values);
            }
        }
    }

    /// <summary>Reads the cells of the row the reader is on into <paramref name="cells"/>, leaving the reader on the row's end.</summary>
    private static void ReadCells(XlsxPartReader reader, long rowNumber, List<string?> cells, SheetContext context)
    {
        var rowDepth = reader.Depth;
        var column = -1;
        long rowCharacters = 0;
        var cell = context.Cell;
        while (reader.Read() && reader.Depth > rowDepth)
        {
            if (reader.Token != XlsxPartToken.StartElement || !reader.IsMain || !reader.LocalName.SequenceEqual("c"u8))
            {
                continue;
            }

            var hasReference = reader.TryGetAttribute("r"u8, out var reference);
            column = hasReference ? ColumnOf(reference, rowNumber) : column + 1;
            if (column >= SpreadsheetLimits.MaxColumns)
            {
                throw NotAWorkbook(string.Create(CultureInfo.InvariantCulture, $"row {rowNumber} has more than {SpreadsheetLimits.MaxColumns:N0} cells, more than a sheet can hold"));
            }

            var type = reader.TryGetAttribute("t"u8, out var t) ? TypeOf(t) : CellType.Number;
            var style = reader.TryGetAttribute("s"u8, out var s) && TryParseDigits(s, out var parsedStyle) && parsedStyle <= int.MaxValue ? (int)parsedStyle : 0;
            var at = new CellAt(column, hasReference, rowNumber);
            ReadCellContent(reader, cell, at, context.Limits);
            var text = CellText(type, cell, style, context, at);
            if (text is not null)
            {
                rowCharacters += text.Length;
                if (rowCharacters > context.Limits.MaxRowCharacters)
                {
                    throw new SpreadsheetFormatException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"Row {rowNumber} holds more than {context.Limits.MaxRowCharacters:N0} characters, more than a row may hold. Shorten its cells and upload the file again."));
                }

                while (cells.Count <= column)
                {
                    cells.Add(null);
                }

                cells[column] = text;
            }
        }
    }

    /// <summary>The cell's <c>v</c>, and its inline string's text runs (not its phonetic runs).</summary>
    private static void ReadCellContent(XlsxPartReader reader, CellContent cell, CellAt at, SpreadsheetLimits limits)
    {
        cell.Clear();
        if (reader.IsEmptyElement)
        {
            return;
        }

        // A UTF-16 character takes at most 3 UTF-8 bytes: past that many, the text is too long whatever it holds.
        var maxBytes = (int)Math.Min(int.MaxValue, 3L * limits.MaxCellCharacters);
        var cellDepth = reader.Depth;
        while (reader.Read() && reader.Depth > cellDepth)
        {
            if (reader.Token != XlsxPartToken.StartElement || !reader.IsMain)
            {
                continue;
            }

            var name = reader.LocalName;
            if (name.SequenceEqual("v"u8))
            {
                // The last v counts, as it would for any reader that keeps overwriting the value.
                cell.Value.Clear();
                cell.HasValue = true;
                if (!reader.ReadElementText(cell.Value, maxBytes))
                {
                    throw CellTooLong($"Cell {at.Described}", string.Create(CultureInfo.InvariantCulture, $"more than {limits.MaxCellCharacters:N0}"), limits);
                }
            }
            else if (name.SequenceEqual("rPh"u8))
            {
                // Furigana runs are reading aids, not part of the cell's text.
                reader.Skip();
            }
            else if (name.SequenceEqual("t"u8) && !reader.ReadElementText(cell.InlineText, maxBytes))
            {
                throw CellTooLong($"Cell {at.Described}", string.Create(CultureInfo.InvariantCulture, $"more than {limits.MaxCellCharacters:N0}"), limits);
            }
        }
    }

    private static string? CellText(CellType type, CellContent cell, int style, SheetContext context, CellAt at)
    {
        var value = cell.Value.Span;
        switch (type)
        {
            case CellType.SharedString:
                return cell.HasValue && TryParseDigits(value, out var index) && index <= int.MaxValue && context.SharedStrings.TryGet((int)index, out var shared)
                    ? NullIfEmpty(shared)
                    : throw NotAWorkbook($"cell {at.Described} refers to text that is not in the workbook");
            case CellType.InlineString:
                return CellString(cell.InlineText.Length > 0 ? cell.InlineText : cell.Value, at, context.Limits);
            case CellType.Boolean:
                return !cell.HasValue ? null : value.SequenceEqual("1"u8) || value.SequenceEqual("true"u8) ? "TRUE" : "FALSE";
            case CellType.Text:
                // Formula text, an error such as #N/A, or an ISO 8601 date as written.
                return CellString(cell.Value, at, context.Limits);
        }

        if (value.IsEmpty)
        {
            return null;
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return CellString(cell.Value, at, context.Limits);
        }

        return style < context.DateStyles.Length && context.DateStyles[style] && ExcelDates.ToIsoText(number, context.Date1904) is { } date
            ? date
            : number.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A cell's text as a string, null if empty; refused where no cell could hold it.</summary>
    private static string? CellString(Utf8Text text, CellAt at, SpreadsheetLimits limits)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (HasForbiddenControl(text.Span, out var code))
        {
            throw NotAWorkbook($"cell {at.Described} holds an invisible control character (code {code}) that a workbook cannot hold; delete it and upload the file again");
        }

        string value;
        try
        {
            value = text.ToString();
        }
        catch (DecoderFallbackException exception)
        {
            throw NotAWorkbook($"the text of cell {at.Described} is not valid UTF-8", exception);
        }

        return value.Length <= limits.MaxCellCharacters
            ? value
            : throw CellTooLong($"Cell {at.Described}", value.Length.ToString("N0", CultureInfo.InvariantCulture), limits);
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static CellType TypeOf(ReadOnlySpan<byte> type) => type switch
    {
        [(byte)'s'] => CellType.SharedString,
        [(byte)'b'] => CellType.Boolean,
        [(byte)'e'] or [(byte)'d'] or [(byte)'s', (byte)'t', (byte)'r'] => CellType.Text,
        _ when type.SequenceEqual("inlineStr"u8) => CellType.InlineString,
        _ => CellType.Number,
    };

    /// <summary>Digits only, as <c>NumberStyles.None</c> reads them (no sign, no blanks).</summary>
    private static bool TryParseDigits(ReadOnlySpan<byte> text, out long number)
    {
        number = 0;
        if (text.IsEmpty || text.Length > 18)
        {
            return false;
        }

        foreach (var digit in text)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            number = (number * 10) + (digit - '0');
        }

        return true;
    }

    /// <summary>The 0-based column of a reference such as <c>C5</c>.</summary>
    private static int ColumnOf(ReadOnlySpan<byte> reference, long rowNumber)
    {
        var column = 0;
        var letters = 0;
        foreach (var c in reference)
        {
            if (!char.IsAsciiLetter((char)c))
            {
                break;
            }

            column = (column * 26) + (char.ToUpperInvariant((char)c) - 'A' + 1);
            if (++letters > 3)
            {
                break;
            }
        }

        return letters is > 0 and <= 3 && column <= SpreadsheetLimits.MaxColumns
            ? column - 1
            : throw NotAWorkbook($"row {rowNumber} has a cell with an invalid reference '{XlsxPartReader.Printable(reference)}'");
    }

    /// <summary>The letters of a 0-based column (0 is A).</summary>
    private static string ColumnName(int column)
    {
        var name = string.Empty;
        for (var n = column + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private enum CellType
    {
        Number,
        SharedString,
        InlineString,
        Boolean,
        Text,
    }

    /// <summary>Where a cell is, to name it in messages: C5, or "in row 5" for a cell without a reference.</summary>
    private readonly record struct CellAt(int Column, bool HasReference, long RowNumber)
    {
        public string Described => HasReference ? ToString() : $"in row {RowNumber}";

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ColumnName(Column)}{RowNumber}");
    }

    /// <summary>What reading a sheet's cells needs besides the sheet, and the cell buffer reused from cell to cell.</summary>
    private sealed class SheetContext(XlsxSharedStrings sharedStrings, bool[] dateStyles, bool date1904, SpreadsheetLimits limits)
    {
        public XlsxSharedStrings SharedStrings { get; } = sharedStrings;

        public bool[] DateStyles { get; } = dateStyles;

        public bool Date1904 { get; } = date1904;

        public SpreadsheetLimits Limits { get; } = limits;

        public CellContent Cell { get; } = new();
    }

    /// <summary>A cell's value and inline text as read, reused from cell to cell.</summary>
    private sealed class CellContent
    {
        public Utf8Text Value { get; } = new();

        public Utf8Text InlineText { get; } = new();

        public bool HasValue { get; set; }

        public void Clear()
        {
            Value.Clear();
            InlineText.Clear();
            HasValue = false;
        }
    }
}
