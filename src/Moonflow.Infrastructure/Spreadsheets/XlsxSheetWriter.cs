using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>One worksheet being written: header row, then data rows, each cell typed by its column's kind.</summary>
internal sealed class XlsxSheetWriter : IDisposable
{
    private static readonly OpenXmlAttribute InlineStringType = new("t", string.Empty, "inlineStr");
    private static readonly OpenXmlAttribute PreserveSpace = new("xml", "space", "http://www.w3.org/XML/1998/namespace", "preserve");

    /// <summary>Excel's widest column, in characters.</summary>
    private const double MaxColumnWidth = 255;

    private readonly Stream stream;
    private readonly OpenXmlWriter writer;
    private readonly IReadOnlyList<SpreadsheetColumn> columns;
    private readonly string[] columnLetters;

    // Element instances only give the writer their names, so one of each serves every row.
    private readonly Row row = new();
    private readonly Cell cell = new();
    private readonly CellValue value = new();
    private readonly InlineString inlineString = new();
    private readonly Text text = new();
    private readonly List<OpenXmlAttribute> attributes = new(3);
    private long sheetRow;

    public XlsxSheetWriter(Stream stream, IReadOnlyList<SpreadsheetColumn> columns, bool selected)
    {
        this.stream = stream;
        this.columns = columns;
        columnLetters = Enumerable.Range(0, columns.Count).Select(ColumnLetters).ToArray();
        writer = OpenXmlWriter.Create(stream);
        writer.WriteStartElement(new Worksheet());
        writer.WriteElement(FrozenHeaderView(selected));
        writer.WriteElement(new SheetFormatProperties { DefaultRowHeight = 15 });
        writer.WriteElement(new Columns(columns.Select((column, i) => new Column
        {
            Min = (uint)(i + 1),
            Max = (uint)(i + 1),
            Width = Math.Clamp(column.Width, 0, MaxColumnWidth),
            CustomWidth = true,
        })));
        writer.WriteStartElement(new SheetData());
        WriteHeader();
    }

    public long DataRows => sheetRow - 1;

    public void WriteRow(object?[] values)
    {
        if (values.Length != columns.Count)
        {
            throw new ArgumentException($"A row has {values.Length} values for {columns.Count} columns.", nameof(values));
        }

        var reference = StartRow();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } cellValue)
            {
                WriteCell(i, reference, columns[i], cellValue);
            }
        }

        writer.WriteEndElement();
    }

    /// <summary>Closes sheetData and the worksheet; a sheet left incomplete by an error is only disposed.</summary>
    public void Complete()
    {
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    /// <summary>Closes the part's zip entry, which must happen before the package opens another.</summary>
    public void Dispose()
    {
        writer.Dispose();
        stream.Dispose();
    }

    private static SheetViews FrozenHeaderView(bool selected) => new(
        new SheetView(
            new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
            new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
        {
            TabSelected = selected ? true : null,
            WorkbookViewId = 0,
        });

    private static string ColumnLetters(int index)
    {
        var letters = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }

        return letters;
    }

    private void WriteHeader()
    {
        var reference = StartRow();
        for (var i = 0; i < columns.Count; i++)
        {
            WriteText(columnLetters[i] + reference, columns[i].Header, XlsxStyles.Header);
        }

        writer.WriteEndElement();
    }

    private string StartRow()
    {
        var reference = (++sheetRow).ToString(CultureInfo.InvariantCulture);
        attributes.Clear();
        attributes.Add(new OpenXmlAttribute("r", string.Empty, reference));
        writer.WriteStartElement(row, attributes);
        return reference;
    }

    private void WriteCell(int index, string rowReference, SpreadsheetColumn column, object cellValue)
    {
        var reference = columnLetters[index] + rowReference;
        switch (column.Kind)
        {
            case CellKind.Integer:
                WriteNumber(reference, CellValues.Integer(cellValue, column).ToString(CultureInfo.InvariantCulture), XlsxStyles.Integer);
                break;
            case CellKind.Decimal:
                WriteNumber(reference, CellValues.Decimal(cellValue, column).ToString(CultureInfo.InvariantCulture), style: 0);
                break;
            case CellKind.Money:
                WriteNumber(reference, CellValues.Decimal(cellValue, column).ToString(CultureInfo.InvariantCulture), XlsxStyles.Money);
                break;
            case CellKind.Date:
                WriteDate(reference, CellValues.Date(cellValue, column).ToDateTime(TimeOnly.MinValue), XlsxStyles.Date, "yyyy-MM-dd");
                break;
            case CellKind.DateTime:
                WriteDate(reference, CellValues.Instant(cellValue, column), XlsxStyles.DateTime, "yyyy-MM-dd HH:mm:ss");
                break;
            default:
                WriteText(reference, CellValues.Text(cellValue), style: 0);
                break;
        }
    }

    private void WriteDate(string reference, DateTime wallClock, uint style, string textFormat)
    {
        // Excel cannot show days before 1900 as dates; they stay readable as text.
        if (wallClock < ExcelDates.MinDate)
        {
            WriteText(reference, wallClock.ToString(textFormat, CultureInfo.InvariantCulture), style: 0);
            return;
        }

        WriteNumber(reference, ExcelDates.ToSerial(wallClock).ToString(CultureInfo.InvariantCulture), style);
    }

    private void WriteNumber(string reference, string number, uint style)
    {
        attributes.Clear();
        attributes.Add(new OpenXmlAttribute("r", string.Empty, reference));
        if (style != 0)
        {
            attributes.Add(new OpenXmlAttribute("s", string.Empty, style.ToString(CultureInfo.InvariantCulture)));
        }

        writer.WriteStartElement(cell, attributes);
        writer.WriteStartElement(value);
        writer.WriteString(number);
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    /// <summary>An inline string: no shared-string table grows in memory, and the text is neutralised against formulas.</summary>
    private void WriteText(string reference, string? raw, uint style)
    {
        var content = CellValues.XlsxText(SpreadsheetText.Neutralize(raw) ?? string.Empty);
        if (content.Length == 0 && style == 0)
        {
            return;
        }

        attributes.Clear();
        attributes.Add(new OpenXmlAttribute("r", string.Empty, reference));
        if (style != 0)
        {
            attributes.Add(new OpenXmlAttribute("s", string.Empty, style.ToString(CultureInfo.InvariantCulture)));
        }

        attributes.Add(InlineStringType);
        writer.WriteStartElement(cell, attributes);
        writer.WriteStartElement(inlineString);
        if (content.Length > 0 && (char.IsWhiteSpace(content[0]) || char.IsWhiteSpace(content[^1])))
        {
            writer.WriteStartElement(text, [PreserveSpace]);
        }
        else
        {
            writer.WriteStartElement(text);
        }

        writer.WriteString(content);
        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteEndElement();
    }
}
