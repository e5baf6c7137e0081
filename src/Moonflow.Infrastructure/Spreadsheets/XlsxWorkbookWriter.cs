using System.Globalization;
using System.IO.Packaging;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// Streams a workbook: each sheet's XML goes through OpenXmlWriter straight into its zip entry as rows arrive.
/// <para>
/// The package is opened write-only on purpose. SpreadsheetDocument.Create opens it read-write, and then .NET's zip
/// keeps every entry uncompressed in memory until the package closes (about 2 GB for a million rows); write-only, each
/// part is deflated into the output as it is written, so memory stays flat. The price is that parts are written once,
/// one at a time, in order: styles, the sheets, then the workbook that lists them.
/// </para>
/// </summary>
internal static class XlsxWorkbookWriter
{
    private const string RelationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    public static async Task<long> WriteAsync(
        Stream output,
        string sheetName,
        IReadOnlyList<SpreadsheetColumn> columns,
        IAsyncEnumerable<object?[]> rows,
        int maxDataRowsPerSheet,
        CancellationToken cancellationToken)
    {
        using var package = Package.Open(output, FileMode.Create, FileAccess.Write);
        var styles = WriteStyles(package);
        var baseName = SheetNames.Clean(sheetName);
        var sheets = new List<(string Name, Uri Uri)>();
        XlsxSheetWriter? sheet = null;
        long written = 0;
        try
        {
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                // Sources that ignore the token still stop here.
                cancellationToken.ThrowIfCancellationRequested();
                if (sheet is null || sheet.DataRows == maxDataRowsPerSheet)
                {
                    sheet?.Complete();
                    sheet?.Dispose();
                    sheet = StartSheet(package, columns, sheets, baseName);
                }

                sheet.WriteRow(row);
                written++;
            }

            // No rows still gives a workbook with its header row.
            sheet ??= StartSheet(package, columns, sheets, baseName);
            sheet.Complete();
        }
        finally
        {
            sheet?.Dispose();
        }

        WriteWorkbook(package, styles, sheets);
        return written;
    }

    private static XlsxSheetWriter StartSheet(Package package, IReadOnlyList<SpreadsheetColumn> columns, List<(string Name, Uri Uri)> sheets, string baseName)
    {
        var number = sheets.Count + 1;
        var uri = new Uri($"/xl/worksheets/sheet{number}.xml", UriKind.Relative);
        var part = package.CreatePart(uri, "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml", CompressionOption.Normal);
        sheets.Add((SheetNames.Numbered(baseName, number), uri));
        return new XlsxSheetWriter(part.GetStream(FileMode.Create, FileAccess.Write), columns, selected: number == 1);
    }

    private static Uri WriteStyles(Package package)
    {
        var uri = new Uri("/xl/styles.xml", UriKind.Relative);
        var part = package.CreatePart(uri, "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml", CompressionOption.Normal);
        using var stream = part.GetStream(FileMode.Create, FileAccess.Write);
        using var writer = OpenXmlWriter.Create(stream);
        writer.WriteElement(XlsxStyles.Stylesheet());
        return uri;
    }

    private static void WriteWorkbook(Package package, Uri styles, List<(string Name, Uri Uri)> sheets)
    {
        var uri = new Uri("/xl/workbook.xml", UriKind.Relative);
        var part = package.CreatePart(uri, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", CompressionOption.Normal);
        var sheetList = new Sheets();
        for (var i = 0; i < sheets.Count; i++)
        {
            var id = $"rId{i + 1}";
            part.CreateRelationship(RelativeToWorkbook(sheets[i].Uri), TargetMode.Internal, $"{RelationshipNamespace}/worksheet", id);
            sheetList.Append(new Sheet { Name = sheets[i].Name, SheetId = (uint)(i + 1), Id = id });
        }

        part.CreateRelationship(RelativeToWorkbook(styles), TargetMode.Internal, $"{RelationshipNamespace}/styles", $"rId{sheets.Count + 1}");
        var workbook = new Workbook(new BookViews(new WorkbookView()), sheetList);
        workbook.AddNamespaceDeclaration("r", RelationshipNamespace);
        using (var stream = part.GetStream(FileMode.Create, FileAccess.Write))
        using (var writer = OpenXmlWriter.Create(stream))
        {
            writer.WriteElement(workbook);
        }

        package.CreateRelationship(uri, TargetMode.Internal, $"{RelationshipNamespace}/officeDocument", "rId1");
    }

    private static Uri RelativeToWorkbook(Uri part) => new(part.OriginalString["/xl/".Length..], UriKind.Relative);
}

/// <summary>The cell formats the writer uses; their positions are the <c>s</c> of the cells.</summary>
internal static class XlsxStyles
{
    public const uint Header = 1;
    public const uint Integer = 2;
    public const uint Money = 3;
    public const uint Date = 4;
    public const uint DateTime = 5;

    public const string MoneyFormat = "#,##0.00";
    public const string DateFormat = "yyyy-mm-dd";
    public const string DateTimeFormat = "yyyy-mm-dd hh:mm";

    public static Stylesheet Stylesheet() => new(
        new NumberingFormats(
            new NumberingFormat { NumberFormatId = 164, FormatCode = MoneyFormat },
            new NumberingFormat { NumberFormatId = 165, FormatCode = DateFormat },
            new NumberingFormat { NumberFormatId = 166, FormatCode = DateTimeFormat }) { Count = 3 },
        new Fonts(
            new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" })) { Count = 2 },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
        new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
        new CellFormats(
            Format(numberFormatId: 0, fontId: 0),
            Format(numberFormatId: 0, fontId: 1),
            Format(numberFormatId: 1, fontId: 0),
            Format(numberFormatId: 164, fontId: 0),
            Format(numberFormatId: 165, fontId: 0),
            Format(numberFormatId: 166, fontId: 0)) { Count = 6 },
        new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });

    private static CellFormat Format(uint numberFormatId, uint fontId) => new()
    {
        NumberFormatId = numberFormatId,
        FontId = fontId,
        FillId = 0,
        BorderId = 0,
        FormatId = 0,
        ApplyNumberFormat = numberFormatId != 0 ? true : null,
        ApplyFont = fontId != 0 ? true : null,
    };
}

/// <summary>One worksheet being written: header row, then data rows, each cell typed by its column's kind.</summary>
internal sealed class XlsxSheetWriter : IDisposable
{
    private static readonly OpenXmlAttribute InlineStringType = new("t", string.Empty, "inlineStr");
    private static readonly OpenXmlAttribute PreserveSpace = new("xml", "space", "http://www.w3.org/XML/1998/namespace", "preserve");

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
            Width = column.Width,
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
