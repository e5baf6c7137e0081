using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// The rows of an xlsx's first worksheet. The SDK finds the parts and reads the (small) workbook and styles; the
/// worksheet and its shared strings, which grow with the upload, are read over their UTF-8 bytes by
/// <see cref="XlsxPartReader"/>, which allocates nothing per element: a row costs its array and its cells' strings.
/// The package is a zip read from the file, parts are inflated as they are parsed, and only the current row, the
/// shared strings and the styles are held.
/// </summary>
internal static class XlsxRowReader
{
    /// <summary>Excel's last column is XFD.</summary>
    private const int MaxColumns = 16_384;

    /// <summary>Rows read between yields to the caller's scheduler: parts are read synchronously.</summary>
    private const int RowsPerYield = 1_000;

    public static async IAsyncEnumerable<SpreadsheetRow> ReadAsync(Stream content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var rows = ReadRows(content).GetEnumerator();
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
                throw new SpreadsheetFormatException($"The file is not a valid .xlsx workbook: {reason}.", exception);
            }

            yield return row;
            if (++sinceYield == RowsPerYield)
            {
                sinceYield = 0;
                await Task.Yield();
            }
        }
    }

    internal static SpreadsheetFormatException NotAWorkbook(string reason) => new($"The file is not a valid .xlsx workbook: {reason}.");

    /// <summary>What a damaged workbook's exception means to a user; null for failures that are not the file's fault.</summary>
    private static string? Describe(Exception exception) => exception switch
    {
        InvalidDataException => "the zip archive is damaged",
        DecoderFallbackException => "its text is not valid UTF-8",
        OpenXmlPackageException or FileFormatException => "its package structure is damaged",
        XmlException xml => $"its XML is damaged (line {xml.LineNumber}, position {xml.LinePosition})",
        FormatException or OverflowException => "it holds a value in an invalid format",
        ObjectDisposedException => null,
        InvalidOperationException => "it refers to parts that are missing",
        _ => null,
    };

    private static IEnumerable<SpreadsheetRow> ReadRows(Stream content)
    {
        using var document = SpreadsheetDocument.Open(content, isEditable: false);
        var workbookPart = document.WorkbookPart ?? throw NotAWorkbook("it has no workbook part");
        var worksheetPart = FirstWorksheet(workbookPart) ?? throw NotAWorkbook("it has no worksheet");
        using var sharedStrings = new XlsxSharedStrings(workbookPart.SharedStringTablePart);
        var dateStyles = ReadDateStyles(workbookPart.WorkbookStylesPart);
        var date1904 = workbookPart.Workbook?.WorkbookProperties?.Date1904?.Value ?? false;

        using var reader = XlsxPartReader.Open(() => worksheetPart.GetStream(FileMode.Open, FileAccess.Read));
        var cell = new CellContent();
        var cells = new List<string?>();
        long rowNumber = 0;
        while (reader.Read())
        {
            if (reader.Token != XlsxPartToken.StartElement || !reader.IsMain || !reader.LocalName.SequenceEqual("row"u8))
            {
                continue;
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
                ReadCells(reader, rowNumber, cells, cell, sharedStrings, dateStyles, date1904);
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
    private static void ReadCells(
        XlsxPartReader reader, long rowNumber, List<string?> cells, CellContent cell, XlsxSharedStrings sharedStrings, bool[] dateStyles,
        bool date1904)
    {
        var rowDepth = reader.Depth;
        var column = -1;
        while (reader.Read() && reader.Depth > rowDepth)
        {
            if (reader.Token != XlsxPartToken.StartElement || !reader.IsMain || !reader.LocalName.SequenceEqual("c"u8))
            {
                continue;
            }

            var hasReference = reader.TryGetAttribute("r"u8, out var reference);
            column = hasReference ? ColumnOf(reference, rowNumber) : column + 1;
            var type = reader.TryGetAttribute("t"u8, out var t) ? TypeOf(t) : CellType.Number;
            var style = reader.TryGetAttribute("s"u8, out var s) && TryParseDigits(s, out var parsedStyle) && parsedStyle <= int.MaxValue ? (int)parsedStyle : 0;
            ReadCellContent(reader, cell);
            var text = CellText(type, cell, style, sharedStrings, dateStyles, date1904, column, hasReference, rowNumber);
            if (text is not null)
            {
                while (cells.Count <= column)
                {
                    cells.Add(null);
                }

                cells[column] = text;
            }
        }
    }

    /// <summary>The cell's <c>v</c>, and its inline string's text runs (not its phonetic runs).</summary>
    private static void ReadCellContent(XlsxPartReader reader, CellContent cell)
    {
        cell.Clear();
        if (reader.IsEmptyElement)
        {
            return;
        }

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
                reader.ReadElementText(cell.Value);
            }
            else if (name.SequenceEqual("rPh"u8))
            {
                // Furigana runs are reading aids, not part of the cell's text.
                reader.Skip();
            }
            else if (name.SequenceEqual("t"u8))
            {
                reader.ReadElementText(cell.InlineText);
            }
        }
    }

    private static WorksheetPart? FirstWorksheet(WorkbookPart workbookPart)
    {
        var sheets = workbookPart.Workbook?.Sheets?.Elements<Sheet>() ?? [];
        foreach (var sheet in sheets)
        {
            // Chart sheets come in the same list; the first sheet with cells is the one users mean.
            if (sheet.Id?.Value is { } id && workbookPart.TryGetPartById(id, out var part) && part is WorksheetPart worksheet)
            {
                return worksheet;
            }
        }

        return null;
    }

    /// <summary>For each cell format (the <c>s</c> of a cell), whether its number format shows a date or time.</summary>
    private static bool[] ReadDateStyles(WorkbookStylesPart? part)
    {
        var stylesheet = part?.Stylesheet;
        if (stylesheet?.CellFormats is null)
        {
            return [];
        }

        var customCodes = new Dictionary<uint, string>();
        foreach (var format in stylesheet.NumberingFormats?.Elements<NumberingFormat>() ?? [])
        {
            if (format.NumberFormatId?.Value is { } id && format.FormatCode?.Value is { } code)
            {
                customCodes[id] = code;
            }
        }

        return stylesheet.CellFormats.Elements<CellFormat>()
            .Select(format => format.NumberFormatId?.Value is { } id && XlsxNumberFormats.IsDateOrTime(id, customCodes.GetValueOrDefault(id)))
            .ToArray();
    }

    private static string? CellText(
        CellType type, CellContent cell, int style, XlsxSharedStrings sharedStrings, bool[] dateStyles, bool date1904, int column, bool hasReference,
        long rowNumber)
    {
        var value = cell.Value.Span;
        switch (type)
        {
            case CellType.SharedString:
                return cell.HasValue && TryParseDigits(value, out var index) && index <= int.MaxValue && sharedStrings.TryGet((int)index, out var shared)
                    ? NullIfEmpty(shared)
                    : throw NotAWorkbook($"cell {(hasReference ? $"{ColumnName(column)}{rowNumber}" : $"in row {rowNumber}")} refers to text that is not in the workbook");
            case CellType.InlineString:
                return cell.InlineText.Length > 0 ? cell.InlineText.ToString() : NullIfEmpty(cell.Value);
            case CellType.Boolean:
                return !cell.HasValue ? null : value.SequenceEqual("1"u8) || value.SequenceEqual("true"u8) ? "TRUE" : "FALSE";
            case CellType.Text:
                // Formula text, an error such as #N/A, or an ISO 8601 date as written.
                return NullIfEmpty(cell.Value);
        }

        if (value.IsEmpty)
        {
            return null;
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return cell.Value.ToString();
        }

        return style < dateStyles.Length && dateStyles[style] && ExcelDates.ToIsoText(number, date1904) is { } date
            ? date
            : number.ToString(CultureInfo.InvariantCulture);
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static string? NullIfEmpty(Utf8Text text) => text.Length == 0 ? null : text.ToString();

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

        return letters is > 0 and <= 3 && column <= MaxColumns
            ? column - 1
            : throw NotAWorkbook($"row {rowNumber} has a cell with an invalid reference '{Encoding.UTF8.GetString(reference)}'");
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
