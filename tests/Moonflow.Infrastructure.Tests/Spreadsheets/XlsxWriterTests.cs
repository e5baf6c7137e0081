using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Infrastructure.Spreadsheets;
using Moonflow.Infrastructure.Tests.Support;
using OfficeOpenXml;
using Spreadsheet = DocumentFormat.OpenXml.Spreadsheet;

namespace Moonflow.Infrastructure.Tests.Spreadsheets;

public sealed class XlsxWriterTests : IDisposable
{
    private static readonly SpreadsheetColumn[] EveryKind =
    [
        new("Name", CellKind.Text, 30),
        new("Count", CellKind.Integer),
        new("Rate", CellKind.Decimal, 12),
        new("Amount", CellKind.Money),
        new("Due", CellKind.Date),
        new("Sent at", CellKind.DateTime, 22),
    ];

    private const int ExcelMaxCellCharacters = 32_767;

    private static readonly SpreadsheetColumn[] AwkwardColumns = [new("A & B <1>", CellKind.Text, 40), .. EveryKind[1..], new("Notes", CellKind.Text, 254.5)];

    /// <summary>Every kind at its extremes, markup and non-ASCII in text, nulls, and a cell of Excel's maximum length.</summary>
    private static readonly object?[][] AwkwardRows =
    [
        [
            "<b>Tom & Jerry's</b> \"quoted\" ]]> café 日本 \ud83d\ude00", long.MinValue, 0.0000000000000000000000000001m, decimal.MaxValue,
            new DateOnly(2026, 3, 31), new DateTime(2026, 3, 31, 14, 30, 0, DateTimeKind.Utc), "line one\nline two\tand a tab",
        ],
        ["  padded\u0001  ", long.MaxValue, -1.5, 0, new DateOnly(1899, 12, 31), DateTime.MinValue, "=1+2"],
        [null, null, null, null, null, null, ""],
        ["x", 1, 1m, 1m, DateTime.MaxValue, DateTimeOffset.MaxValue, MaxLengthText() + "cut"],
        ["\u0000\ud800", 2L, null, -0.005m, null, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(14)), "-@+"],
        ["last", 3L, 3.0m, 3.00m, new DateOnly(1900, 1, 1), new DateOnly(1900, 3, 1), "  "],
    ];

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task WriteAsync_WhenEveryKind_EPPlusSeesTypedCellsFormatsWidthsAndFrozenHeader()
    {
        var path = folder.File("export.xlsx");
        var written = await Sheets.WriteAsync(path, SpreadsheetFormat.Xlsx, EveryKind,
        [
            ["Acme, S.A.", 42L, 0.125m, 1234567.5m, new DateOnly(2026, 3, 31), new DateTimeOffset(2026, 3, 31, 14, 30, 0, TimeSpan.Zero)],
            ["=HYPERLINK(\"http://evil\")", 7, 2m, -10m, new DateTime(2026, 1, 2, 23, 59, 0), new DateTime(2026, 1, 2, 8, 15, 0, DateTimeKind.Utc)],
            [null, null, null, null, null, null],
        ]);

        Assert.Equal(3, written);
        using var package = new ExcelPackage(new FileInfo(path));
        var sheet = package.Workbook.Worksheets["Data"];
        Assert.NotNull(sheet);

        Assert.Equal(["Name", "Count", "Rate", "Amount", "Due", "Sent at"], Enumerable.Range(1, 6).Select(c => sheet.Cells[1, c].Value));
        Assert.All(Enumerable.Range(1, 6), c => Assert.True(sheet.Cells[1, c].Style.Font.Bold));

        Assert.Equal("Acme, S.A.", sheet.Cells[2, 1].Value);
        Assert.Equal(42d, sheet.Cells[2, 2].Value);
        Assert.Equal(0.125d, sheet.Cells[2, 3].Value);
        Assert.Equal(1234567.5d, sheet.Cells[2, 4].Value);
        Assert.Equal(new DateTime(2026, 3, 31).ToOADate(), sheet.Cells[2, 5].Value);
        Assert.Equal(new DateTime(2026, 3, 31), sheet.Cells[2, 5].GetValue<DateTime>());
        Assert.Equal(new DateTime(2026, 3, 31, 14, 30, 0), sheet.Cells[2, 6].GetValue<DateTime>());

        Assert.Equal("'=HYPERLINK(\"http://evil\")", sheet.Cells[3, 1].Value);
        Assert.Equal(string.Empty, sheet.Cells[3, 1].Formula);
        Assert.Equal(-10d, sheet.Cells[3, 4].Value);
        Assert.Equal(new DateTime(2026, 1, 2), sheet.Cells[3, 5].GetValue<DateTime>());
        Assert.Equal(new DateTime(2026, 1, 2, 8, 15, 0), sheet.Cells[3, 6].GetValue<DateTime>());

        Assert.All(Enumerable.Range(1, 6), c => Assert.Null(sheet.Cells[4, c].Value));

        Assert.Equal("0", sheet.Cells[2, 2].Style.Numberformat.Format);
        Assert.Equal("#,##0.00", sheet.Cells[2, 4].Style.Numberformat.Format);
        Assert.Equal("yyyy-mm-dd", sheet.Cells[2, 5].Style.Numberformat.Format);
        Assert.Equal("yyyy-mm-dd hh:mm", sheet.Cells[2, 6].Style.Numberformat.Format);

        Assert.Equal([30d, 18d, 12d, 18d, 18d, 22d], Enumerable.Range(1, 6).Select(c => sheet.Column(c).Width));

        var namespaces = new XmlNamespaceManager(sheet.WorksheetXml.NameTable);
        namespaces.AddNamespace("x", "http://schemas.openxmlformats.org/spreadsheetml/2006/main");
        var pane = sheet.WorksheetXml.SelectSingleNode("//x:sheetView/x:pane", namespaces);
        Assert.NotNull(pane);
        Assert.Equal("frozen", pane.Attributes!["state"]!.Value);
        Assert.Equal("1", pane.Attributes["ySplit"]!.Value);
        Assert.Equal("A2", pane.Attributes["topLeftCell"]!.Value);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WriteAsync_WhenSplitIntoSheetsWithEveryKindAndAwkwardText_PassesOpenXmlSchemaValidation(bool outputCanSeek)
    {
        var path = folder.File("valid.xlsx");
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        await using (Stream output = outputCanSeek ? file : new ForwardOnlyStream(file))
        {
            await new SpreadsheetWriter(maxDataRowsPerSheet: 2).WriteAsync(
                output, SpreadsheetFormat.Xlsx, "Tom & \"Jerry\" <co>", AwkwardColumns, Sheets.Async(AwkwardRows), CancellationToken.None);
        }

        using var document = SpreadsheetDocument.Open(path, isEditable: false);
        var errors = new OpenXmlValidator(FileFormatVersions.Office2019).Validate(document)
            .Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}");

        Assert.Empty(errors);
        Assert.Equal(3, document.WorkbookPart!.WorksheetParts.Count());
        Assert.Equal(
            ["Tom & \"Jerry\" <co>", "Tom & \"Jerry\" <co> (2)", "Tom & \"Jerry\" <co> (3)"],
            document.WorkbookPart.Workbook.Sheets!.Elements<Spreadsheet.Sheet>().Select(s => s.Name!.Value));
        Assert.Null(document.WorkbookPart.SharedStringTablePart);
    }

    [Fact]
    public async Task WriteAsync_WhenReadWithOpenXmlSdk_CellsCarryTheirTypesFormatsAndExactText()
    {
        var path = folder.File("sdk.xlsx");
        await Sheets.WriteAsync(path, SpreadsheetFormat.Xlsx, AwkwardColumns, AwkwardRows);

        using var document = SpreadsheetDocument.Open(path, isEditable: false);
        var workbook = document.WorkbookPart!;
        var formats = workbook.WorkbookStylesPart!.Stylesheet;
        var sheetPart = (WorksheetPart)workbook.GetPartById(workbook.Workbook.Sheets!.Elements<Spreadsheet.Sheet>().Single().Id!);
        var rows = sheetPart.Worksheet.GetFirstChild<Spreadsheet.SheetData>()!.Elements<Spreadsheet.Row>().ToList();
        var header = rows[0].Elements<Spreadsheet.Cell>().ToList();
        var first = rows[1].Elements<Spreadsheet.Cell>().ToDictionary(c => c.CellReference!.Value!);
        var second = rows[2].Elements<Spreadsheet.Cell>().ToDictionary(c => c.CellReference!.Value!);
        var third = rows[3].Elements<Spreadsheet.Cell>().ToDictionary(c => c.CellReference!.Value!);

        string Text(Spreadsheet.Cell cell)
        {
            Assert.Equal(Spreadsheet.CellValues.InlineString, cell.DataType!.Value);
            return cell.InlineString!.Text!.Text;
        }

        string NumberFormat(Spreadsheet.Cell cell)
        {
            Assert.Null(cell.DataType);
            var numberFormatId = formats.CellFormats!.Elements<Spreadsheet.CellFormat>().ElementAt((int)(cell.StyleIndex?.Value ?? 0)).NumberFormatId!.Value;
            return formats.NumberingFormats!.Elements<Spreadsheet.NumberingFormat>().SingleOrDefault(f => f.NumberFormatId!.Value == numberFormatId)?.FormatCode!.Value
                ?? $"built-in {numberFormatId}";
        }

        Assert.Equal(7, rows.Count);
        Assert.Equal(["A & B <1>", "Count", "Rate", "Amount", "Due", "Sent at", "Notes"], header.Select(Text));
        Assert.Equal([1u, 2, 3, 4], rows.Take(4).Select(r => r.RowIndex!.Value));

        Assert.Equal("<b>Tom & Jerry's</b> \"quoted\" ]]> café 日本 \ud83d\ude00", Text(first["A2"]));
        Assert.Equal(("built-in 1", "-9223372036854775808"), (NumberFormat(first["B2"]), first["B2"].CellValue!.Text));
        Assert.Equal(("built-in 0", "0.0000000000000000000000000001"), (NumberFormat(first["C2"]), first["C2"].CellValue!.Text));
        Assert.Equal(("#,##0.00", "79228162514264337593543950335"), (NumberFormat(first["D2"]), first["D2"].CellValue!.Text));
        Assert.Equal(("yyyy-mm-dd", "46112"), (NumberFormat(first["E2"]), first["E2"].CellValue!.Text));
        Assert.Equal(("yyyy-mm-dd hh:mm", "46112.604166666664"), (NumberFormat(first["F2"]), first["F2"].CellValue!.Text));
        Assert.Equal("line one\nline two\tand a tab", Text(first["G2"]));

        // Leading and trailing spaces survive, control characters do not, formulas stay text.
        Assert.Equal("  padded  ", Text(second["A3"]));
        Assert.Equal("'=1+2", Text(second["G3"]));
        Assert.Equal("1899-12-31", Text(second["E3"]));
        Assert.Equal("0001-01-01 00:00:00", Text(second["F3"]));
        Assert.Equal(("built-in 1", "9223372036854775807"), (NumberFormat(second["B3"]), second["B3"].CellValue!.Text));

        // Nulls and empty texts are no cells at all.
        Assert.Empty(third);
        Assert.Equal(MaxLengthText(), Text(rows[4].Elements<Spreadsheet.Cell>().Single(c => c.CellReference == "G5")));
    }

    [Fact]
    public async Task WriteAsync_WhenARowHasManyCellsOfExcelsMaximumLength_WritesEveryCellWhole()
    {
        var path = folder.File("wide.xlsx");
        var columns = Enumerable.Range(1, 30).Select(i => new SpreadsheetColumn($"Long {i}", CellKind.Text)).ToList();
        string[] patterns = ["&", "<", "ñ", "日", "\ud83d\ude00", "a"];
        var texts = columns.Select((_, i) => string.Concat(Enumerable.Repeat(patterns[i % patterns.Length], ExcelMaxCellCharacters / patterns[i % patterns.Length].Length))).ToArray();

        await Sheets.WriteAsync(path, SpreadsheetFormat.Xlsx, columns, [texts, texts.Select(t => t[..100]).ToArray<object?>()]);

        var rows = await Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx);
        Assert.Equal(texts, rows[1].Cells);
        Assert.Equal(texts.Select(t => t[..100]), rows[2].Cells);
    }

    [Fact]
    public async Task WriteAsync_WhenOutputCannotSeek_StillWritesAWorkbook()
    {
        var path = folder.File("forward-only.xlsx");
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        await using (var forwardOnly = new ForwardOnlyStream(file))
        {
            await new SpreadsheetWriter().WriteAsync(
                forwardOnly, SpreadsheetFormat.Xlsx, "Data", [new("N", CellKind.Integer)], Sheets.Async([[1], [2]]), CancellationToken.None);
        }

        var rows = await Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx);
        Assert.Equal(["2"], rows[^1].Cells);
    }

    [Fact]
    public async Task WriteAsync_WhenReadBack_ReaderSeesTextNumbersAndIsoDates()
    {
        var path = folder.File("export.xlsx");
        await Sheets.WriteAsync(path, SpreadsheetFormat.Xlsx, EveryKind,
        [
            ["  padded  ", 42L, 0.125m, 1234567.5m, new DateOnly(2026, 3, 31), new DateTimeOffset(2026, 3, 31, 9, 5, 7, TimeSpan.FromHours(-5))],
            ["+57 300 000", int.MaxValue, -2.5m, 0m, new DateOnly(1900, 1, 1), new DateTime(2026, 1, 2, 8, 15, 0, DateTimeKind.Utc)],
            ["@SUM(A1)", -1L, 1m, 3.456m, new DateOnly(1899, 12, 31), new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Unspecified)],
        ]);

        var rows = await Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx);

        Assert.Equal([1L, 2, 3, 4], rows.Select(r => r.RowNumber));
        Assert.Equal(["Name", "Count", "Rate", "Amount", "Due", "Sent at"], rows[0].Cells);
        // A DateTimeOffset keeps its own wall-clock time.
        Assert.Equal(["  padded  ", "42", "0.125", "1234567.5", "2026-03-31", "2026-03-31T09:05:07"], rows[1].Cells);
        Assert.Equal(["'+57 300 000", "2147483647", "-2.5", "0", "1900-01-01", "2026-01-02T08:15:00"], rows[2].Cells);
        // Days before 1900 cannot be serials; they stay readable as text.
        Assert.Equal(["'@SUM(A1)", "-1", "1", "3.456", "1899-12-31", "2026-01-02"], rows[3].Cells);
    }

    [Fact]
    public async Task WriteAsync_WhenDateTimeIsLocal_WritesItInUtc()
    {
        var path = folder.File("export.xlsx");
        var local = new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Local);

        await Sheets.WriteAsync(path, SpreadsheetFormat.Xlsx, [new("At", CellKind.DateTime)], [[local]]);

        var rows = await Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx);
        Assert.Equal(local.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), rows[1].Cells[0]);
    }

    [Fact]
    public async Task WriteAsync_WhenRowsPassTheSheetLimit_ContinuesInNumberedSheetsEachWithItsHeader()
    {
        var path = folder.File("split.xlsx");
        var rows = Enumerable.Range(1, 7).Select(i => new object?[] { $"row {i}", i }).ToList();

        var written = await Sheets.WriteAsync(
            path, SpreadsheetFormat.Xlsx, [new("Name", CellKind.Text), new("N", CellKind.Integer)], rows, "Clients", maxDataRowsPerSheet: 3);

        Assert.Equal(7, written);
        using var package = new ExcelPackage(new FileInfo(path));
        Assert.Equal(["Clients", "Clients (2)", "Clients (3)"], package.Workbook.Worksheets.Select(s => s.Name));
        Assert.Equal([4, 4, 2], package.Workbook.Worksheets.Select(s => s.Dimension.End.Row));
        Assert.All(package.Workbook.Worksheets, s => Assert.Equal("Name", s.Cells[1, 1].Value));
        Assert.Equal("row 4", package.Workbook.Worksheets["Clients (2)"].Cells[2, 1].Value);
        Assert.Equal(7d, package.Workbook.Worksheets["Clients (3)"].Cells[2, 2].Value);
    }

    [Fact]
    public async Task WriteAsync_WhenRowsFillTheLastSheetExactly_StartsNoEmptySheet()
    {
        var path = folder.File("exact.xlsx");

        await Sheets.WriteAsync(path, SpreadsheetFormat.Xlsx, [new("N", CellKind.Integer)], [[1], [2], [3], [4]], maxDataRowsPerSheet: 2);

        using var package = new ExcelPackage(new FileInfo(path));
        Assert.Equal(["Data", "Data (2)"], package.Workbook.Worksheets.Select(s => s.Name));
    }

    [Fact]
    public async Task WriteAsync_WhenNoRows_WritesTheHeaderRowOnly()
    {
        var path = folder.File("empty.xlsx");

        var written = await Sheets.WriteAsync(path, SpreadsheetFormat.Xlsx, EveryKind, []);

        Assert.Equal(0, written);
        var rows = await Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx);
        Assert.Equal(["Name", "Count", "Rate", "Amount", "Due", "Sent at"], Assert.Single(rows).Cells);
    }

    [Fact]
    public async Task WriteAsync_WhenSheetNameIsInvalidForExcel_CleansIt()
    {
        var path = folder.File("names.xlsx");

        await Sheets.WriteAsync(path, SpreadsheetFormat.Xlsx, [new("N", CellKind.Integer)], [[1], [2]],
            sheetName: "Payment orders [2026/03]: a very long name", maxDataRowsPerSheet: 1);

        using var package = new ExcelPackage(new FileInfo(path));
        Assert.Equal(["Payment orders _2026_03__ a ver", "Payment orders _2026_03__ a (2)"], package.Workbook.Worksheets.Select(s => s.Name));
    }

    [Fact]
    public async Task WriteAsync_WhenTextHasCharactersXmlCannotCarry_DropsThemAndCutsAtExcelsCellLimit()
    {
        var path = folder.File("control.xlsx");

        await Sheets.WriteAsync(path, SpreadsheetFormat.Xlsx, [new("Text", CellKind.Text), new("Long", CellKind.Text)],
            [["bell\u0007 and nul\0 and lone \ud800 surrogate, emoji \ud83d\ude00", new string('x', 40_000)]]);

        using var package = new ExcelPackage(new FileInfo(path));
        var sheet = package.Workbook.Worksheets["Data"];
        Assert.Equal("bell and nul and lone  surrogate, emoji \ud83d\ude00", sheet.Cells[2, 1].Value);
        Assert.Equal(32_767, ((string)sheet.Cells[2, 2].Value).Length);
    }

    [Fact]
    public async Task WriteAsync_WhenValueDoesNotFitTheColumnKind_ThrowsNamingTheColumn()
    {
        var path = folder.File("wrong.xlsx");

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            Sheets.WriteAsync(path, SpreadsheetFormat.Xlsx, [new("Due", CellKind.Date)], [["tomorrow"]]));

        Assert.Contains("'Due'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_WhenDone_LeavesTheOutputOpen()
    {
        await using var output = new FileStream(folder.File("open.xlsx"), FileMode.CreateNew, FileAccess.ReadWrite);

        await new SpreadsheetWriter().WriteAsync(
            output, SpreadsheetFormat.Xlsx, "Data", [new("N", CellKind.Integer)], Sheets.Async([[1]]), CancellationToken.None);

        Assert.True(output.CanWrite);
        output.Position = 0;
        Assert.Equal(SpreadsheetFormat.Xlsx, SpreadsheetSniffer.Detect(output));
    }

    [Fact]
    public async Task WriteAsync_WhenCancelled_Stops()
    {
        using var cancellation = new CancellationTokenSource();
        await using var output = new FileStream(folder.File("cancel.xlsx"), FileMode.CreateNew, FileAccess.ReadWrite);

        async IAsyncEnumerable<object?[]> Rows()
        {
            yield return [1];
            await cancellation.CancelAsync();
            yield return [2];
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SpreadsheetWriter().WriteAsync(output, SpreadsheetFormat.Xlsx, "Data", [new("N", CellKind.Integer)], Rows(), cancellation.Token));
    }

    /// <summary>Fits a cell exactly: Excel's maximum length, markup and multi-byte characters throughout.</summary>
    private static string MaxLengthText() => string.Concat(Enumerable.Repeat("a<&é", ExcelMaxCellCharacters / 4)) + "xyz";

    /// <summary>An HTTP response body or a cloud upload: write-only, no position.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
