using System.IO.Compression;
using System.Text;
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

    [Fact]
    public async Task ReadRowsAsync_WhenElementsCarryAPrefix_ReadsTheMainNamespaceOnly()
    {
        // The OpenXML SDK writes x:-prefixed elements; extensions in other namespaces may reuse the same local names.
        var path = await WorkbookWithSheetXml(
            $"""<x:worksheet xmlns:x="{MainNamespace}" xmlns:o="urn:other"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>kept</x:t></x:is></x:c><o:c r="B1"><x:v>9</x:v></o:c></x:row><o:row r="2"><x:c r="A2"><x:v>1</x:v></x:c></o:row><x:row r="3" xmlns:x="urn:other"><x:c r="A3"><x:v>2</x:v></x:c></x:row><row r="4" xmlns="{MainNamespace}"><c r="B4"><v>3</v></c></row></x:sheetData></x:worksheet>""");

        var rows = await Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx);

        Assert.Equal([1L, 4], rows.Select(r => r.RowNumber));
        Assert.Equal(["kept"], rows[0].Cells);
        Assert.Equal([null, "3"], rows[1].Cells);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenTextHasEntitiesLineBreaksCdataAndComments_ReadsItAsExcelShowsIt()
    {
        var path = await WorkbookWithSheetXml(
            $"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <!-- written by hand -->
            <worksheet xmlns="{MainNamespace}">
              <sheetData>
                <row r="1">
                  <c r="A1" t="inlineStr"><is><t>Pérez &amp; Hijos &lt;S.A.&gt; &quot;1&quot; &apos;2&apos;</t></is></c>
                  <c r="B1" t="inlineStr"><is><t xml:space="preserve">line 1&#10;line 2&#xD;&#x41;&#65;</t></is></c>
                  <c r="C1" t="inlineStr"><is><t>a
            b</t></is></c>
                  <c r="D1" t="str"><f>"x"</f><v><![CDATA[<raw & kept>]]><!-- no --></v></c>
                  <c r="E1" t="inlineStr"><is><t>日本語 😀</t></is></c>
                </row>
              </sheetData>
            </worksheet>
            """.Replace("\n", "\r\n", StringComparison.Ordinal));

        var rows = await Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx);

        Assert.Equal(["Pérez & Hijos <S.A.> \"1\" '2'", "line 1\nline 2\rAA", "a\nb", "<raw & kept>", "日本語 😀"], Assert.Single(rows).Cells);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenCellsHoldNumbersBooleansErrorsAndDates_ReadsThemAsText()
    {
        var path = await WorkbookWithSheetXml(
            $"""<worksheet xmlns="{MainNamespace}"><sheetData><row r="2"><c r="A2"><v>1.0</v></c><c r="B2" t="n"><v>-2.5E3</v></c><c r="C2" t="b"><v>0</v></c><c r="D2" t="e"><v>#N/A</v></c><c r="E2" s="1"><v>46112.5</v></c><c r="F2" s="1"><v>0.25</v></c><c r="G2"><v>not a number</v></c><c r="H2" t="d"><v>2026-03-31T10:00:00</v></c><c r="I2" s="0"><v>46112</v></c><c r="AB2"><v>7</v></c></row></sheetData></worksheet>""",
            stylesXml: $"""<styleSheet xmlns="{MainNamespace}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="22"/></cellXfs></styleSheet>""");

        var rows = await Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx);

        var row = Assert.Single(rows);
        Assert.Equal(2, row.RowNumber);
        Assert.Equal(["1", "-2500", "FALSE", "#N/A", "2026-03-31T12:00:00", "06:00:00", "not a number", "2026-03-31T10:00:00", "46112"], row.Cells.Take(9));
        Assert.Equal(28, row.Cells.Count);
        Assert.Equal("7", row.Cells[27]);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenSharedStringsHaveRunsPhoneticsAndEntities_ReadsEachItemsText()
    {
        var path = await WorkbookWithSheetXml(
            $"""<worksheet xmlns="{MainNamespace}"><sheetData><row r="1"><c r="A1" t="s"><v>2</v></c><c r="B1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c><c r="D1" t="s"><v>3</v></c></row></sheetData></worksheet>""",
            sharedStringsXml: $"""<sst xmlns="{MainNamespace}" count="4" uniqueCount="4"><si><t>plain &amp; simple</t></si><si><r><rPr><b/></rPr><t>Bold</t></r><r><t xml:space="preserve"> run</t></r><rPh sb="0" eb="1"><t>ボールド</t></rPh></si><si><t/></si><si><t>last&#10;line</t></si></sst>""");

        var rows = await Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx);

        Assert.Equal([null, "plain & simple", "Bold run", "last\nline"], Assert.Single(rows).Cells);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenSheetPartIsUtf16_ReadsIt()
    {
        var path = await WorkbookWithSheetXml(
            $"""<?xml version="1.0" encoding="UTF-16"?><worksheet xmlns="{MainNamespace}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Núñez</t></is></c></row></sheetData></worksheet>""",
            sheetEncoding: Encoding.Unicode);

        var rows = await Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx);

        Assert.Equal(["Núñez"], Assert.Single(rows).Cells);
    }

    [Theory]
    [InlineData("<!DOCTYPE worksheet [<!ENTITY big \"boom\">]><worksheet xmlns=\"" + MainNamespace + "\"><sheetData/></worksheet>")]
    [InlineData("<worksheet xmlns=\"" + MainNamespace + "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&big;</t></is></c></row></sheetData></worksheet>")]
    [InlineData("<worksheet xmlns=\"" + MainNamespace + "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&#0;</t></is></c></row></sheetData></worksheet>")]
    [InlineData("<worksheet xmlns=\"" + MainNamespace + "\"><sheetData><row r=\"1\"><c r=A1><v>1</v></c></row></sheetData></worksheet>")]
    [InlineData("<worksheet xmlns=\"" + MainNamespace + "\"><sheetData><row r=\"1\"><y:c r=\"A1\"><v>1</v></y:c></row></sheetData></worksheet>")]
    [InlineData("<worksheet xmlns=\"" + MainNamespace + "\"><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData>")]
    [InlineData("<worksheet xmlns=\"" + MainNamespace + "\"><sheetData/></worksheet><worksheet/>")]
    [InlineData("")]
    public async Task ReadRowsAsync_WhenSheetIsNotWellFormedXml_ThrowsReadableFormatError(string sheetXml)
    {
        var path = await WorkbookWithSheetXml(sheetXml);

        var error = await Assert.ThrowsAsync<SpreadsheetFormatException>(() => Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx));

        Assert.StartsWith("The file is not a valid .xlsx workbook: its XML is damaged (line ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenSheetIsFarLargerThanTheReadBuffer_ReadsEveryCellAcrossItsEdges()
    {
        // Rows of varying length (and one cell longer than the buffer, in three-byte characters to stay within a cell's
        // 32,767) put every kind of token across a buffer's edge.
        var sheet = new StringBuilder($"""<worksheet xmlns="{MainNamespace}"><sheetData>""");
        var expected = new List<string?[]>();
        var longText = string.Concat(Enumerable.Range(0, 30_000).Select(i => (char)('一' + (i % 26)))) + " & more";
        for (var r = 1; r <= 6_000; r++)
        {
            var text = r == 3_000 ? longText : $"texto {r} {new string('x', r % 37)} & ñ";
            var escaped = text.Replace("&", "&amp;", StringComparison.Ordinal);
            sheet.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"""<row r="{r}" spans="1:3"><c r="A{r}" t="inlineStr"><is><t>{escaped}</t></is></c><c r="B{r}" s="0"><v>{r * 1.5}</v></c><!-- {r} --><c r="C{r}" t="b"><v>{r % 2}</v></c></row>""");
            expected.Add([text, (r * 1.5).ToString(System.Globalization.CultureInfo.InvariantCulture), r % 2 == 1 ? "TRUE" : "FALSE"]);
        }

        var path = await WorkbookWithSheetXml(sheet.Append("</sheetData></worksheet>").ToString());

        var rows = await Sheets.ReadAsync(path, SpreadsheetFormat.Xlsx);

        Assert.Equal(Enumerable.Range(1, 6_000).Select(r => (long)r), rows.Select(r => r.RowNumber));
        Assert.Equal(expected, rows.Select(r => r.Cells.ToArray()));
    }

    private const string EmptySheet = $"""<worksheet xmlns="{MainNamespace}"><sheetData/></worksheet>""";

    /// <summary>A minimal workbook whose first sheet is the given XML (or that has no sheet at all).</summary>
    private async Task<string> WorkbookWithSheetXml(
        string? sheetXml, string? stylesXml = null, bool sheetPartMissing = false, string? sharedStringsXml = null, Encoding? sheetEncoding = null)
    {
        var path = folder.File($"{Guid.NewGuid():N}.xlsx");
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        await Entry(archive, "[Content_Types].xml",
            """<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>""");
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
            if (sharedStringsXml is not null)
            {
                styles += """<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>""";
            }

            await Entry(archive, "xl/_rels/workbook.xml.rels",
                $"""<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>{styles}</Relationships>""");
            if (!sheetPartMissing)
            {
                await Entry(archive, "xl/worksheets/sheet1.xml", sheetXml, sheetEncoding);
            }
        }

        if (stylesXml is not null)
        {
            await Entry(archive, "xl/styles.xml", stylesXml);
        }

        if (sharedStringsXml is not null)
        {
            await Entry(archive, "xl/sharedStrings.xml", sharedStringsXml);
        }

        return path;
    }

    private static async Task Entry(ZipArchive archive, string name, string content, Encoding? encoding = null)
    {
        await using var writer = new StreamWriter(await archive.CreateEntry(name).OpenAsync(), encoding ?? new UTF8Encoding(false));
        await writer.WriteAsync(content);
    }
}
