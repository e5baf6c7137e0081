using System.IO.Compression;
using System.Text;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.HostileCorpus;
using Moonflow.Infrastructure.Spreadsheets;
using Moonflow.Infrastructure.Tests.Support;

namespace Moonflow.Infrastructure.Tests.Spreadsheets;

/// <summary>Each of <see cref="SpreadsheetLimits"/>, set small: a file just within it is read, one just past it refused readably.</summary>
public sealed class SpreadsheetLimitsTests : IDisposable
{
    private const string SheetStart = $"""<worksheet xmlns="{MinimalWorkbook.MainNamespace}"><sheetData>""";
    private const string SheetEnd = "</sheetData></worksheet>";

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public async Task ReadRowsAsync_WhenXlsxRowsPassTheLimit_RefusesCountingEmptyRows(int rowsAfterHeader, bool read)
    {
        // Two rows with cells and the rest empty: the empty ones count as much as any.
        var rows = string.Concat(Enumerable.Range(2, rowsAfterHeader).Select(r => r <= 3 ? InlineRow(r, "x") : $"<row r=\"{r}\"/>"));
        var path = Workbook(SheetStart + InlineRow(1, "Header") + rows + SheetEnd);
        var limits = new SpreadsheetLimits { MaxRows = 3 };

        if (read)
        {
            Assert.Equal(3, (await ReadAsync(path, SpreadsheetFormat.Xlsx, limits)).Count);
            return;
        }

        var error = await RefusedAsync(path, SpreadsheetFormat.Xlsx, limits);
        Assert.StartsWith("The sheet has more than 3 rows after its header row (empty rows count too).", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("h\r\n1\r\n2\r\n\r\n", true)]
    [InlineData("h\r\n1\r\n2\r\n\r\n\r\n", false)]
    public async Task ReadRowsAsync_WhenCsvRowsPassTheLimit_RefusesCountingBlankLines(string csv, bool read)
    {
        var path = Csv(csv);
        var limits = new SpreadsheetLimits { MaxRows = 3 };

        if (read)
        {
            Assert.Equal(3, (await ReadAsync(path, SpreadsheetFormat.Csv, limits)).Count);
            return;
        }

        var error = await RefusedAsync(path, SpreadsheetFormat.Csv, limits);
        Assert.StartsWith("The file has more than 3 rows after its header row (blank lines count too).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenXlsxCellsPassTheCellLimit_RefusesNamingTheCell()
    {
        var limits = new SpreadsheetLimits { MaxCellCharacters = 10 };
        var within = Workbook(SheetStart + InlineRow(1, "ñandúñandú") + SheetEnd);
        var inline = Workbook(SheetStart + $"""<row r="2"><c r="B2" t="inlineStr"><is><t>{new string('x', 11)}</t></is></c></row>""" + SheetEnd);
        var value = Workbook(SheetStart + $"""<row r="2"><c r="C2" t="str"><v>{new string('x', 11)}</v></c></row>""" + SheetEnd);
        var runs = Workbook(SheetStart + $"""<row r="2"><c r="D2" t="inlineStr"><is><t>{string.Concat(Enumerable.Repeat("xx<!-- -->", 100))}</t></is></c></row>""" + SheetEnd);
        var shared = Workbook(
            SheetStart + """<row r="2"><c r="E2" t="s"><v>0</v></c></row>""" + SheetEnd,
            sharedStrings: $"""<sst xmlns="{MinimalWorkbook.MainNamespace}"><si><r><t>{new string('x', 6)}</t></r><r><t>{new string('y', 5)}</t></r></si></sst>""");

        Assert.Equal(["ñandúñandú"], Assert.Single(await ReadAsync(within, SpreadsheetFormat.Xlsx, limits)).Cells);
        Assert.Equal("Cell B2 holds 11 characters; a cell may hold at most 10. Shorten it and upload the file again.", (await RefusedAsync(inline, SpreadsheetFormat.Xlsx, limits)).Message);
        Assert.StartsWith("Cell C2 holds 11 characters", (await RefusedAsync(value, SpreadsheetFormat.Xlsx, limits)).Message, StringComparison.Ordinal);
        Assert.StartsWith("Cell D2 holds more than 10 characters", (await RefusedAsync(runs, SpreadsheetFormat.Xlsx, limits)).Message, StringComparison.Ordinal);
        Assert.StartsWith("A text of the workbook holds 11 characters", (await RefusedAsync(shared, SpreadsheetFormat.Xlsx, limits)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenCsvCellPassesTheCellLimit_RefusesNamingRowAndColumn()
    {
        var limits = new SpreadsheetLimits { MaxCellCharacters = 10 };

        Assert.Equal(["0123456789", "ñandúñandú"], (await ReadAsync(Csv("a,b\r\n0123456789,\"ñandúñandú\"\r\n"), SpreadsheetFormat.Csv, limits))[1].Cells);
        Assert.Equal(
            "Row 2, column 2, holds more than 10 characters; a cell may hold at most 10.",
            (await RefusedAsync(Csv("a,b\r\n1,01234567890\r\n"), SpreadsheetFormat.Csv, limits)).Message);
        Assert.Equal(
            "Row 2 (line 3 of the file), column 1, holds more than 10 characters; a cell may hold at most 10. A closing quote may be missing.",
            (await RefusedAsync(Csv("a\r\n\"12345\n678901\r\n"), SpreadsheetFormat.Csv, limits)).Message);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenRowsPassTheRowCharacterLimit_Refuses()
    {
        var limits = new SpreadsheetLimits { MaxCellCharacters = 10, MaxRowCharacters = 25 };
        var cells = string.Concat(Enumerable.Range(0, 3).Select(c => $"""<c r="{(char)('A' + c)}2" t="inlineStr"><is><t>{new string('x', 10)}</t></is></c>"""));

        var xlsx = await RefusedAsync(Workbook(SheetStart + $"<row r=\"2\">{cells}</row>" + SheetEnd), SpreadsheetFormat.Xlsx, limits);
        var csv = await RefusedAsync(Csv("a\r\n0123456789,0123456789,0123456789\r\n"), SpreadsheetFormat.Csv, limits);

        Assert.StartsWith("Row 2 holds more than 25 characters, more than a row may hold.", xlsx.Message, StringComparison.Ordinal);
        Assert.StartsWith("Row 2 is longer than 25 characters, more than a row may hold", csv.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await ReadAsync(Csv("a\r\n0123456789,0123456789\r\n"), SpreadsheetFormat.Csv, limits)).Count);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenRowsHaveMoreColumnsThanASheet_Refuses()
    {
        var cells = string.Concat(Enumerable.Repeat("<c><v>1</v></c>", SpreadsheetLimits.MaxColumns + 1));

        var xlsx = await RefusedAsync(Workbook(SheetStart + $"<row r=\"1\">{cells}</row>" + SheetEnd), SpreadsheetFormat.Xlsx, new SpreadsheetLimits());
        var csv = await RefusedAsync(Csv(string.Join(',', Enumerable.Repeat("1", SpreadsheetLimits.MaxColumns + 1))), SpreadsheetFormat.Csv, new SpreadsheetLimits());

        Assert.Equal("The file is not a valid .xlsx workbook: row 1 has more than 16,384 cells, more than a sheet can hold.", xlsx.Message);
        Assert.StartsWith("Row 1 has more than 16,384 columns", csv.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenSharedStringsPassTheirCount_RefusesOnlyWhenACellNeedsThem()
    {
        var sharedStrings = $"""<sst xmlns="{MinimalWorkbook.MainNamespace}">{string.Concat(Enumerable.Range(0, 5).Select(i => $"<si><t>s{i}</t></si>"))}</sst>""";
        var limits = new SpreadsheetLimits { MaxSharedStrings = 3 };
        var early = Workbook(SheetStart + """<row r="1"><c r="A1" t="s"><v>2</v></c></row>""" + SheetEnd, sharedStrings);
        var late = Workbook(SheetStart + """<row r="1"><c r="A1" t="s"><v>3</v></c></row>""" + SheetEnd, sharedStrings);

        Assert.Equal(["s2"], Assert.Single(await ReadAsync(early, SpreadsheetFormat.Xlsx, limits)).Cells);
        Assert.StartsWith("The workbook holds more than 3 different texts", (await RefusedAsync(late, SpreadsheetFormat.Xlsx, limits)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenAPartUnpacksPastItsLimit_RefusesNamingThePart()
    {
        var limits = new SpreadsheetLimits
        {
            MaxEntryBytes = 4096, MaxSharedStringsBytes = 2048, MaxStylesBytes = 2048, MaxWorkbookBytes = 2048, MaxCompressionRatio = 100_000,
        };
        var filler = new string(' ', 5000);
        var sheet = Workbook(SheetStart + InlineRow(1, "x") + filler + SheetEnd);
        var sharedStrings = Workbook(
            SheetStart + """<row r="1"><c r="A1" t="s"><v>0</v></c></row>""" + SheetEnd, $"""<sst xmlns="{MinimalWorkbook.MainNamespace}"><si><t>a</t></si>{filler}</sst>""");
        var styles = Workbook(SheetStart + SheetEnd, styles: $"""<styleSheet xmlns="{MinimalWorkbook.MainNamespace}">{filler}</styleSheet>""");
        var workbook = Workbook(SheetStart + SheetEnd, workbook: MinimalWorkbook.DefaultWorkbook.Replace("</workbook>", filler + "</workbook>", StringComparison.Ordinal));

        Assert.Equal(
            "The sheet (xl/worksheets/sheet1.xml) is too large: unpacked, it holds more than 4 KB. Split it into smaller files and upload each.",
            (await RefusedAsync(sheet, SpreadsheetFormat.Xlsx, limits)).Message);
        Assert.StartsWith("The workbook's table of texts (xl/sharedStrings.xml) is too large: unpacked, it holds more than 2 KB.", (await RefusedAsync(sharedStrings, SpreadsheetFormat.Xlsx, limits)).Message, StringComparison.Ordinal);
        Assert.StartsWith("The workbook's formatting (xl/styles.xml) is too large", (await RefusedAsync(styles, SpreadsheetFormat.Xlsx, limits)).Message, StringComparison.Ordinal);
        Assert.StartsWith("The workbook's description (xl/workbook.xml) is too large", (await RefusedAsync(workbook, SpreadsheetFormat.Xlsx, limits)).Message, StringComparison.Ordinal);
        Assert.Equal(["x"], Assert.Single(await ReadAsync(sheet, SpreadsheetFormat.Xlsx, new SpreadsheetLimits { MaxCompressionRatio = 100_000 })).Cells);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenAPartUnpacksFarBeyondItsPackedSize_RefusesWhileUnpacking()
    {
        // 2 MB of one repeated row packs to a few kilobytes, a ratio beyond any real sheet's; nothing else is wrong with it.
        var rows = string.Concat(Enumerable.Repeat("<row><c t=\"inlineStr\"><is><t>same</t></is></c></row>", 40_000));
        var path = Workbook(SheetStart + rows + SheetEnd);

        var error = await RefusedAsync(path, SpreadsheetFormat.Xlsx, new SpreadsheetLimits());

        Assert.Equal(
            "The file is not a valid .xlsx workbook: its part 'xl/worksheets/sheet1.xml' unpacks to more than 100 times its packed size, which no real workbook does; it may be damaged or built to overload the server. Save it again from Excel and upload it again.",
            error.Message);
        Assert.Equal(40_000, (await ReadAsync(path, SpreadsheetFormat.Xlsx, new SpreadsheetLimits { MaxCompressionRatio = 10_000 })).Count);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenARealWorkbookRepeatsItself_IsNotTakenForABomb()
    {
        // The same values on every row, as exports and templates have: such sheets pack 10 to 20 times, far from the limit.
        var path = folder.File("same.xlsx");
        await Sheets.WriteAsync(
            path, SpreadsheetFormat.Xlsx, Enumerable.Range(1, 8).Select(i => new SpreadsheetColumn($"C{i}", CellKind.Text)).ToList(),
            Enumerable.Range(0, 20_000).Select(_ => Enumerable.Repeat<object?>("CC", 8).ToArray()));

        Assert.Equal(20_001, (await ReadAsync(path, SpreadsheetFormat.Xlsx, new SpreadsheetLimits())).Count);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenCsvHasNulOrNonUtf8InAQuotedMultiLineField_NamesRowAndLine()
    {
        var nul = Csv("a,b\r\n1,\"first line\nsecond \0 line\"\r\n");
        var latin1 = folder.File("latin1.csv");
        await File.WriteAllBytesAsync(latin1, [.. "a,b\r\n1,\"first line\n"u8, .. Encoding.Latin1.GetBytes("Peña\"\r\n")]);

        Assert.StartsWith("Row 2 (line 3 of the file) holds a NUL character", (await RefusedAsync(nul, SpreadsheetFormat.Csv, new SpreadsheetLimits())).Message, StringComparison.Ordinal);
        Assert.StartsWith("Row 2 (line 3 of the file) is not UTF-8 text; save the file as \"CSV UTF-8\"", (await RefusedAsync(latin1, SpreadsheetFormat.Csv, new SpreadsheetLimits())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenZipNamesEntriesTwiceOrUnsafely_Refuses()
    {
        var twice = folder.File("twice.xlsx");
        new MinimalWorkbook { Sheet = MinimalWorkbook.Text(SheetStart + SheetEnd), ExtraEntries = [("XL/Worksheets/Sheet1.xml", "<x/>"u8.ToArray())] }.WriteTo(twice);
        var climbing = folder.File("climbing.xlsx");
        new MinimalWorkbook { Sheet = MinimalWorkbook.Text(SheetStart + SheetEnd), ExtraEntries = [("xl/media/../../../evil.txt", "x"u8.ToArray())] }.WriteTo(climbing);

        Assert.Equal(
            "The file is not a valid .xlsx workbook: it holds two entries named 'XL/Worksheets/Sheet1.xml'.",
            (await RefusedAsync(twice, SpreadsheetFormat.Xlsx, new SpreadsheetLimits())).Message);
        Assert.Equal(
            "The file is not a valid .xlsx workbook: it holds an entry with an unsafe name ('xl/media/../../../evil.txt').",
            (await RefusedAsync(climbing, SpreadsheetFormat.Xlsx, new SpreadsheetLimits())).Message);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenARelationshipPointsOutsideThePackage_Refuses()
    {
        var path = folder.File("outside.xlsx");
        new MinimalWorkbook { Sheet = MinimalWorkbook.Text(SheetStart + SheetEnd) }.WriteTo(path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry("xl/_rels/workbook.xml.rels")!.Delete();
            await using var relationships = new StreamWriter(await zip.CreateEntry("xl/_rels/workbook.xml.rels").OpenAsync());
            await relationships.WriteAsync(
                $"""<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{MinimalWorkbook.RelationshipsNamespace}/worksheet" Target="../../../etc/passwd"/></Relationships>""");
        }

        var error = await RefusedAsync(path, SpreadsheetFormat.Xlsx, new SpreadsheetLimits());

        Assert.Equal("The file is not a valid .xlsx workbook: it refers to a part outside the workbook ('../../../etc/passwd').", error.Message);
    }

    [Fact]
    public void SpreadsheetReader_WhenALimitCannotWork_RefusesToBeMade()
    {
        var error = Assert.Throws<ArgumentException>(() => new SpreadsheetReader(new SpreadsheetLimits { MaxCellCharacters = 100, MaxRowCharacters = 10 }));

        Assert.StartsWith("Uploads:Limits:MaxRowCharacters must be at least Uploads:Limits:MaxCellCharacters.", error.Message, StringComparison.Ordinal);
    }

    private static string InlineRow(int r, string text) => $"""<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{text}</t></is></c></row>""";

    private string Workbook(string sheet, string? sharedStrings = null, string? styles = null, string? workbook = null)
    {
        var path = folder.File($"{Guid.NewGuid():N}.xlsx");
        new MinimalWorkbook
        {
            Sheet = MinimalWorkbook.Text(sheet),
            SharedStrings = sharedStrings is null ? null : MinimalWorkbook.Text(sharedStrings),
            Styles = MinimalWorkbook.Text(styles ?? MinimalWorkbook.DefaultStyles),
            Workbook = MinimalWorkbook.Text(workbook ?? MinimalWorkbook.DefaultWorkbook),
        }.WriteTo(path);
        return path;
    }

    private string Csv(string text)
    {
        var path = folder.File($"{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private static async Task<List<SpreadsheetRow>> ReadAsync(string path, SpreadsheetFormat format, SpreadsheetLimits limits)
    {
        await using var content = File.OpenRead(path);
        return await ReadAsync(content, format, limits);
    }

    private static async Task<List<SpreadsheetRow>> ReadAsync(Stream content, SpreadsheetFormat format, SpreadsheetLimits limits)
    {
        var rows = new List<SpreadsheetRow>();
        await foreach (var row in new SpreadsheetReader(limits).ReadRowsAsync(content, format, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static Task<SpreadsheetFormatException> RefusedAsync(string path, SpreadsheetFormat format, SpreadsheetLimits limits) =>
        Assert.ThrowsAsync<SpreadsheetFormatException>(() => ReadAsync(path, format, limits));
}
