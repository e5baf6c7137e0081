using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// The rows of an xlsx's first worksheet, read with OpenXmlReader (SAX): the package is a zip read from the file, the
/// worksheet is inflated as it is parsed, and only the current row, the shared strings and the styles are held.
/// </summary>
internal static class XlsxRowReader
{
    /// <summary>Excel's last column is XFD.</summary>
    private const int MaxColumns = 16_384;

    /// <summary>
    /// Shared strings are held in memory; a zip bomb could inflate them past any upload limit. Legitimate workbooks
    /// within the upload limit stay far below this.
    /// </summary>
    private const long MaxSharedStringCharacters = 100_000_000;

    /// <summary>Rows read between yields to the caller's scheduler: the SDK reads synchronously.</summary>
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
        var sharedStrings = ReadSharedStrings(workbookPart.SharedStringTablePart);
        var dateStyles = ReadDateStyles(workbookPart.WorkbookStylesPart);
        var date1904 = workbookPart.Workbook?.WorkbookProperties?.Date1904?.Value ?? false;

        using var reader = OpenXmlReader.Create(worksheetPart);
        var cells = new List<string?>();
        var inlineText = new StringBuilder();
        long rowNumber = 0;
        var column = -1;
        string? cellReference = null, cellType = null, cellValue = null;
        var cellStyle = 0;
        var inPhonetic = false;
        while (reader.Read())
        {
            var elementType = reader.ElementType;
            if (elementType == typeof(Row))
            {
                if (reader.IsStartElement)
                {
                    rowNumber = RowNumberOf(reader) ?? rowNumber + 1;
                    cells.Clear();
                    column = -1;
                    continue;
                }

                // Trailing empty cells are trimmed; a row with no value at all is left out.
                var count = cells.Count;
                while (count > 0 && cells[count - 1] is null)
                {
                    count--;
                }

                if (count > 0)
                {
                    yield return new SpreadsheetRow(rowNumber, cells.GetRange(0, count).ToArray());
                }
            }
            else if (elementType == typeof(Cell))
            {
                if (reader.IsStartElement)
                {
                    (cellReference, cellType, cellStyle) = (null, null, 0);
                    foreach (var attribute in reader.Attributes)
                    {
                        switch (attribute.LocalName)
                        {
                            case "r": cellReference = attribute.Value; break;
                            case "t": cellType = attribute.Value; break;
                            case "s": cellStyle = int.TryParse(attribute.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0; break;
                        }
                    }

                    column = cellReference is null ? column + 1 : ColumnOf(cellReference, rowNumber);
                    cellValue = null;
                    inlineText.Clear();
                    continue;
                }

                var text = CellText(cellType, cellValue, inlineText, cellStyle, sharedStrings, dateStyles, date1904, cellReference, rowNumber);
                if (text is not null)
                {
                    while (cells.Count <= column)
                    {
                        cells.Add(null);
                    }

                    cells[column] = text;
                }
            }
            else if (elementType == typeof(CellValue) && reader.IsStartElement)
            {
                cellValue = reader.GetText();
            }
            else if (elementType == typeof(PhoneticRun))
            {
                // Furigana runs are reading aids, not part of the cell's text.
                inPhonetic = reader.IsStartElement;
            }
            else if (elementType == typeof(Text) && reader.IsStartElement && !inPhonetic)
            {
                inlineText.Append(reader.GetText());
            }
        }
    }

    private static SpreadsheetFormatException NotAWorkbook(string reason) => new($"The file is not a valid .xlsx workbook: {reason}.");

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

    private static List<string> ReadSharedStrings(SharedStringTablePart? part)
    {
        var strings = new List<string>();
        if (part is null)
        {
            return strings;
        }

        using var reader = OpenXmlReader.Create(part);
        var text = new StringBuilder();
        var inPhonetic = false;
        long characters = 0;
        while (reader.Read())
        {
            var elementType = reader.ElementType;
            if (elementType == typeof(SharedStringItem))
            {
                if (reader.IsStartElement)
                {
                    text.Clear();
                    continue;
                }

                characters += text.Length;
                if (characters > MaxSharedStringCharacters)
                {
                    throw NotAWorkbook("its shared text is too large");
                }

                strings.Add(text.ToString());
            }
            else if (elementType == typeof(PhoneticRun))
            {
                inPhonetic = reader.IsStartElement;
            }
            else if (elementType == typeof(Text) && reader.IsStartElement && !inPhonetic)
            {
                text.Append(reader.GetText());
            }
        }

        return strings;
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
        string? type, string? value, StringBuilder inlineText, int style, List<string> sharedStrings, bool[] dateStyles, bool date1904,
        string? reference, long rowNumber)
    {
        switch (type)
        {
            case "s":
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < sharedStrings.Count
                    ? NullIfEmpty(sharedStrings[index])
                    : throw NotAWorkbook($"cell {reference ?? $"in row {rowNumber}"} refers to text that is not in the workbook");
            case "inlineStr":
                return NullIfEmpty(inlineText.Length > 0 ? inlineText.ToString() : value);
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

    private static long? RowNumberOf(OpenXmlReader reader)
    {
        foreach (var attribute in reader.Attributes)
        {
            if (attribute.LocalName == "r" && long.TryParse(attribute.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }
        }

        return null;
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
}
