using System.Globalization;
using System.Runtime.CompilerServices;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// The rows of an xlsx's first worksheet. The SDK finds the parts and reads the (small) workbook and styles; the
/// worksheet and its shared strings are read with a plain XmlReader, which allocates nothing per element (the SDK's
/// OpenXmlReader allocates an object for each). The package is a zip read from the file, parts are inflated as they
/// are parsed, and only the current row, the shared strings and the styles are held.
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

    /// <summary>Settings for parts read from an upload: no DTDs (entity expansion), nothing resolved outside the part.</summary>
    internal static XmlReaderSettings PartSettings { get; } = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    /// <summary>The text of the element the reader is on, leaving the reader on its end (so a Read loop goes on after it).</summary>
    internal static string ElementText(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            return string.Empty;
        }

        var depth = reader.Depth;
        string? first = null;
        System.Text.StringBuilder? more = null;
        while (reader.Read() && reader.Depth > depth)
        {
            if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                if (first is null)
                {
                    first = reader.Value;
                }
                else
                {
                    (more ??= new System.Text.StringBuilder(first)).Append(reader.Value);
                }
            }
        }

        return more?.ToString() ?? first ?? string.Empty;
    }

    /// <summary>Moves past the element the reader is on, leaving the reader on its end.</summary>
    internal static void SkipToEnd(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            return;
        }

        var depth = reader.Depth;
        while (reader.Read() && reader.Depth > depth)
        {
        }
    }

    /// <summary>What a damaged workbook's exception means to a user; null for failures that are not the file's fault.</summary>
    private static string? Describe(Exception exception) => exception switch
    {
        InvalidDataException => "the zip archive is damaged",
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

        using var stream = worksheetPart.GetStream(FileMode.Open, FileAccess.Read);
        using var reader = XmlReader.Create(stream, PartSettings);
        var names = new SheetXmlNames(reader.NameTable);
        if (reader.MoveToContent() != XmlNodeType.Element)
        {
            yield break;
        }

        // Elements count in the worksheet's own namespace (transitional or strict); extensions in others are skipped.
        var main = reader.NamespaceURI;
        var cells = new List<string?>();
        long rowNumber = 0;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element || !ReferenceEquals(reader.LocalName, names.Row) || reader.NamespaceURI != main)
            {
                continue;
            }

            var number = RowNumberOf(reader, names) ?? rowNumber + 1;
            if (number <= rowNumber)
            {
                // Excel refuses such a sheet too; row numbers are what an upload's results refer to.
                throw NotAWorkbook($"its row {number} is out of order");
            }

            rowNumber = number;
            cells.Clear();
            if (!reader.IsEmptyElement)
            {
                ReadCells(reader, names, main, rowNumber, cells, sharedStrings, dateStyles, date1904);
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
        XmlReader reader, SheetXmlNames names, string main, long rowNumber, List<string?> cells, XlsxSharedStrings sharedStrings,
        bool[] dateStyles, bool date1904)
    {
        var rowDepth = reader.Depth;
        var column = -1;
        var inlineText = new InlineText();
        while (reader.Read() && reader.Depth > rowDepth)
        {
            if (reader.NodeType != XmlNodeType.Element || !ReferenceEquals(reader.LocalName, names.Cell) || reader.NamespaceURI != main)
            {
                continue;
            }

            string? cellReference = null, cellType = null;
            var cellStyle = 0;
            while (reader.MoveToNextAttribute())
            {
                if (reader.NamespaceURI.Length != 0)
                {
                    continue;
                }

                var name = reader.LocalName;
                if (ReferenceEquals(name, names.Reference))
                {
                    cellReference = reader.Value;
                }
                else if (ReferenceEquals(name, names.Type))
                {
                    cellType = reader.Value;
                }
                else if (ReferenceEquals(name, names.Style))
                {
                    cellStyle = int.TryParse(reader.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
                }
            }

            reader.MoveToElement();
            column = cellReference is null ? column + 1 : ColumnOf(cellReference, rowNumber);
            var cellValue = ReadCellContent(reader, names, main, ref inlineText);
            var text = CellText(cellType, cellValue, inlineText.Text, cellStyle, sharedStrings, dateStyles, date1904, cellReference, rowNumber);
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

    /// <summary>The cell's <c>v</c>, with its inline string's text runs (not its phonetic runs) in <paramref name="inlineText"/>.</summary>
    private static string? ReadCellContent(XmlReader reader, SheetXmlNames names, string main, ref InlineText inlineText)
    {
        inlineText = default;
        if (reader.IsEmptyElement)
        {
            return null;
        }

        string? value = null;
        var cellDepth = reader.Depth;
        while (reader.Read() && reader.Depth > cellDepth)
        {
            if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI != main)
            {
                continue;
            }

            var name = reader.LocalName;
            if (ReferenceEquals(name, names.Value))
            {
                value = ElementText(reader);
            }
            else if (ReferenceEquals(name, names.PhoneticRun))
            {
                // Furigana runs are reading aids, not part of the cell's text.
                SkipToEnd(reader);
            }
            else if (ReferenceEquals(name, names.Text))
            {
                inlineText.Append(ElementText(reader));
            }
        }

        return value;
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
        string? type, string? value, string? inlineText, int style, XlsxSharedStrings sharedStrings, bool[] dateStyles, bool date1904,
        string? reference, long rowNumber)
    {
        switch (type)
        {
            case "s":
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && sharedStrings.TryGet(index, out var shared)
                    ? NullIfEmpty(shared)
                    : throw NotAWorkbook($"cell {reference ?? $"in row {rowNumber}"} refers to text that is not in the workbook");
            case "inlineStr":
                return NullIfEmpty(string.IsNullOrEmpty(inlineText) ? value : inlineText);
            case "b":
                return value is null ? null : value is "1" or "true" ? "TRUE" : "FALSE";
            case "str" or "e" or "d":
                // Formula text, an error such as #N/A, or an ISO 8601 date as written.
                return NullIfEmpty(value);
        }

        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return value;
        }

        return style < dateStyles.Length && dateStyles[style] && ExcelDates.ToIsoText(number, date1904) is { } date
            ? date
            : number.ToString(CultureInfo.InvariantCulture);
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static long? RowNumberOf(XmlReader reader, SheetXmlNames names)
    {
        long? number = null;
        while (reader.MoveToNextAttribute())
        {
            if (ReferenceEquals(reader.LocalName, names.Reference) && reader.NamespaceURI.Length == 0
                && long.TryParse(reader.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                number = parsed;
            }
        }

        reader.MoveToElement();
        return number;
    }

    /// <summary>The 0-based column of a reference such as <c>C5</c>.</summary>
    private static int ColumnOf(string reference, long rowNumber)
    {
        var column = 0;
        var letters = 0;
        foreach (var c in reference)
        {
            if (!char.IsAsciiLetter(c))
            {
                break;
            }

            column = (column * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
            if (++letters > 3)
            {
                break;
            }
        }

        return letters is > 0 and <= 3 && column <= MaxColumns
            ? column - 1
            : throw NotAWorkbook($"row {rowNumber} has a cell with an invalid reference '{reference}'");
    }

    /// <summary>An inline string's runs; most cells have none or one, so no builder until a second run comes.</summary>
    private struct InlineText
    {
        private System.Text.StringBuilder? _builder;

        public string? Text { get; private set; }

        public void Append(string run)
        {
            if (Text is null)
            {
                Text = run;
                return;
            }

            _builder ??= new System.Text.StringBuilder(Text);
            Text = _builder.Append(run).ToString();
        }
    }

    /// <summary>The worksheet's element and attribute names, atomized so they compare by reference.</summary>
    private sealed class SheetXmlNames(XmlNameTable nameTable)
    {
        public string Row { get; } = nameTable.Add("row");

        public string Cell { get; } = nameTable.Add("c");

        public string Value { get; } = nameTable.Add("v");

        public string Text { get; } = nameTable.Add("t");

        public string PhoneticRun { get; } = nameTable.Add("rPh");

        public string Reference { get; } = nameTable.Add("r");

        public string Type { get; } = nameTable.Add("t");

        public string Style { get; } = nameTable.Add("s");
    }
}
