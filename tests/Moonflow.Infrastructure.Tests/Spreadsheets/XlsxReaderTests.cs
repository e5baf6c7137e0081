using System.IO.Compression;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Infrastructure.Tests.Support;
using OfficeOpenXml;

namespace Moonflow.Infrastructure.Tests.Spreadsheets;

public sealed class XlsxReaderTests : IDisposable
{
    private const string MainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task ReadRowsAsync_WhenEPPlusWorkbookWithSharedStringsDatesAndGaps_ReadsCellsInTheirColumns()
    {
        var path = folder.File("epplus.xlsx");
        using (var package = new ExcelPackage(new FileInfo(path)))
        {
            var sheet = package.Workbook.Worksheets.Add("Clients");
            string[] headers = ["Document", "Name", "Due", "Amount", "Active", "Sent", "Total"];
            for (var c = 0; c < headers.Length; c++)
            {
                sheet.Cells[1, c + 1].Value = headers[c];
            }

            sheet.Cells[2, 1].Value = "123";
            sheet.Cells[2, 2].Value = "Acme";
            sheet.Cells[2, 3].Value = new DateTime(2026, 3, 31);
            sheet.Cells[2, 3].Style.Numberformat.Format = "dd/mm/yyyy";
            sheet.Cells[2, 4].Value = 1234.5;
            sheet.Cells[2, 5].Value = true;
            sheet.Cells[2, 6].Value = new DateTime(2026, 3, 31, 14, 30, 5);
            sheet.Cells[2, 6].Style.Numberformat.Format = "yyyy-mm-dd hh:mm:ss";

            sheet.Cells[3, 1].Value = "456";
            sheet.Cells[3, 3].Value = new DateTime(2026, 1, 2);
            sheet.Cells[3, 3].Style.Numberformat.Format = "mm-dd-yy"; // built-in format 14
            sheet.Cells[3, 4].Value = 12.5;
            sheet.Cells[3, 4].Style.Numberformat.Format = "#,##0.00 \"días\"";
            sheet.Cells[3, 5].Value = false;

            sheet.Cells[5, 2].Value = "Acme";
            sheet.Cells[5, 4].Value = 0.1 + 0.2;
            sheet.Cells[5, 7].Formula = "D2*2";
            sheet.Calculate();

            package.Workbook.Worksheets.Add("Other").Cells[1, 1].Value = "not read";
            package.Save();
        }

        var rows = await Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx);

        Assert.Equal([1L, 2, 3, 5], rows.Select(r => r.RowNumber));
        Assert.Equal(["Document", "Name", "Due", "Amount", "Active", "Sent", "Total"], rows[0].Cells);
        Assert.Equal(["123", "Acme", "2026-03-31", "1234.5", "TRUE", "2026-03-31T14:30:05"], rows[1].Cells);
        Assert.Equal(["456", null, "2026-01-02", "12.5", "FALSE"], rows[2].Cells);
        Assert.Equal([null, "Acme", null, "0.30000000000000004", null, null, "2469"], rows[3].Cells);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenCellsHaveNoReferences_PlacesThemInOrder()
    {
        var path = await WorkbookWithSheetXml(
            $"""<worksheet xmlns="{MainNamespace}"><sheetData><row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row><row><c t="b"><v>1</v></c></row></sheetData></worksheet>""");

        var rows = await Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx);

        Assert.Equal([1L, 2], rows.Select(r => r.RowNumber));
        Assert.Equal(["a", "1"], rows[0].Cells);
        Assert.Equal(["TRUE"], rows[1].Cells);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenRichTextHasPhoneticRuns_ReadsTheTextRunsOnly()
    {
        var path = await WorkbookWithSheetXml(
            $"""<worksheet xmlns="{MainNamespace}"><sheetData><row r="1"><c r="B1" t="inlineStr"><is><r><t>Bold</t></r><r><t xml:space="preserve"> and plain</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></is></c></row></sheetData></worksheet>""");

        var rows = await Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx);

        Assert.Equal([null, "Bold and plain"], Assert.Single(rows).Cells);
    }

    [Fact]
    public void ReadRowsAsync_WhenXlsxStreamCannotSeek_RefusesRatherThanBufferingTheUpload()
    {
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.In);

        Assert.Throws<ArgumentException>(() =>
            new Infrastructure.Spreadsheets.SpreadsheetReader().ReadRowsAsync(pipe, SpreadsheetFormat.Xlsx, CancellationToken.None));
    }

    [Fact]
    public async Task ReadRowsAsync_WhenFileIsNotAZip_ThrowsReadableFormatError()
    {
        var path = folder.File("fake.xlsx");
        await File.WriteAllTextAsync(path, "name,value\r\n");

        var error = await Assert.ThrowsAsync<SpreadsheetFormatException>(() => Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx));

        Assert.StartsWith("The file is not a valid .xlsx workbook: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenWorkbookIsTruncated_ThrowsReadableFormatError()
    {
        var path = folder.File("whole.xlsx");
        await Sheets.WriteAsync(path, SpreadsheetFormat.Xlsx, [new("N", CellKind.Integer)], Enumerable.Range(1, 5_000).Select(i => new object?[] { i }));
        var bytes = await File.ReadAllBytesAsync(path);
        var truncated = folder.File("truncated.xlsx");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);

        var error = await Assert.ThrowsAsync<SpreadsheetFormatException>(() => Sheets.ReadAsync(truncated, SpreadsheetFormat.Xlsx));

        Assert.StartsWith("The file is not a valid .xlsx workbook: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenZipIsNotAWorkbook_ThrowsReadableFormatError()
    {
        var path = folder.File("other.xlsx");
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            await using var entry = new StreamWriter(await archive.CreateEntry("readme.txt").OpenAsync());
            await entry.WriteAsync("hello");
        }

        var error = await Assert.ThrowsAsync<SpreadsheetFormatException>(() => Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx));

        Assert.StartsWith("The file is not a valid .xlsx workbook: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenWorkbookHasNoWorksheet_ThrowsReadableFormatError()
    {
        var path = await WorkbookWithSheetXml(null);

        var error = await Assert.ThrowsAsync<SpreadsheetFormatException>(() => Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx));

        Assert.Equal("The file is not a valid .xlsx workbook: it has no worksheet.", error.Message);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenSheetXmlIsDamaged_ThrowsReadableFormatErrorAfterTheGoodRows()
    {
        var path = await WorkbookWithSheetXml(
            $"""<worksheet xmlns="{MainNamespace}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></row></sheetData></worksheet>""");
        var read = new List<SpreadsheetRow>();

        var error = await Assert.ThrowsAsync<SpreadsheetFormatException>(async () =>
        {
            await using var file = File.OpenRead(path);
            await foreach (var row in new Infrastructure.Spreadsheets.SpreadsheetReader().ReadRowsAsync(file, SpreadsheetFormat.Xlsx, CancellationToken.None))
            {
                read.Add(row);
            }
        });

        Assert.StartsWith("The file is not a valid .xlsx workbook: its XML is damaged", error.Message, StringComparison.Ordinal);
        Assert.Equal(["1"], Assert.Single(read).Cells);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenCellRefersToMissingSharedString_ThrowsReadableFormatError()
    {
        var path = await WorkbookWithSheetXml(
            $"""<worksheet xmlns="{MainNamespace}"><sheetData><row r="1"><c r="C1" t="s"><v>7</v></c></row></sheetData></worksheet>""");

        var error = await Assert.ThrowsAsync<SpreadsheetFormatException>(() => Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx));

        Assert.Equal("The file is not a valid .xlsx workbook: cell C1 refers to text that is not in the workbook.", error.Message);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenSheetPartIsMissing_ThrowsReadableFormatError()
    {
        var path = await WorkbookWithSheetXml(EmptySheet, sheetPartMissing: true);

        var error = await Assert.ThrowsAsync<SpreadsheetFormatException>(() => Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx));

        Assert.Equal("The file is not a valid .xlsx workbook: it refers to parts that are missing.", error.Message);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenStylesHoldInvalidValues_ThrowsReadableFormatError()
    {
        var path = await WorkbookWithSheetXml(EmptySheet, stylesXml: $"""<styleSheet xmlns="{MainNamespace}"><cellXfs><xf numFmtId="abc"/></cellXfs></styleSheet>""");

        var error = await Assert.ThrowsAsync<SpreadsheetFormatException>(() => Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx));

        Assert.Equal("The file is not a valid .xlsx workbook: it holds a value in an invalid format.", error.Message);
    }

    private const string EmptySheet = $"""<worksheet xmlns="{MainNamespace}"><sheetData/></worksheet>""";

    /// <summary>A minimal workbook whose first sheet is the given XML (or that has no sheet at all).</summary>
    private async Task<string> WorkbookWithSheetXml(string? sheetXml, string? stylesXml = null, bool sheetPartMissing = false)
    {
        var path = folder.File($"{Guid.NewGuid():N}.xlsx");
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        await Entry(archive, "[Content_Types].xml",
            """<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>""");
        await Entry(archive, "_rels/.rels",
            """<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        var sheets = sheetXml is null ? string.Empty : """<sheet name="S" sheetId="1" r:id="rId1"/>""";
        await Entry(archive, "xl/workbook.xml",
            $"""<workbook xmlns="{MainNamespace}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets></workbook>""");
        if (sheetXml is not null)
        {
            var styles = stylesXml is null
                ? string.Empty
                : """<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>""";
            await Entry(archive, "xl/_rels/workbook.xml.rels",
                $"""<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>{styles}</Relationships>""");
            if (!sheetPartMissing)
            {
                await Entry(archive, "xl/worksheets/sheet1.xml", sheetXml);
            }
        }

        if (stylesXml is not null)
        {
            await Entry(archive, "xl/styles.xml", stylesXml);
        }

        return path;
    }

    private static async Task Entry(ZipArchive archive, string name, string content)
    {
        await using var writer = new StreamWriter(await archive.CreateEntry(name).OpenAsync());
        await writer.WriteAsync(content);
    }
}
