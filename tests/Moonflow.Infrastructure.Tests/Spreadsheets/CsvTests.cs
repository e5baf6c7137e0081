using System.Globalization;
using System.Text;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Infrastructure.Tests.Support;

namespace Moonflow.Infrastructure.Tests.Spreadsheets;

public sealed class CsvTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    // Writing

    [Fact]
    public async Task WriteAsync_WhenCsv_WritesBomCrlfQuotesAndInvariantFormats()
    {
        var path = folder.File("export.csv");
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("es-CO");
        try
        {
            await Sheets.WriteAsync(path, SpreadsheetFormat.Csv,
            [
                new("Name", CellKind.Text), new("Count", CellKind.Integer), new("Rate", CellKind.Decimal), new("Amount", CellKind.Money),
                new("Due", CellKind.Date), new("Sent at", CellKind.DateTime),
            ],
            [
                ["Acme, S.A.", 1234567L, 0.125m, 1234567.5m, new DateOnly(2026, 3, 31), new DateTimeOffset(2026, 3, 31, 9, 5, 7, TimeSpan.FromHours(-5))],
                ["He said \"hi\"\nthen left", -3, -2m, 0.005m, new DateTime(2026, 1, 2, 22, 0, 0), new DateTime(2026, 1, 2, 8, 15, 0, DateTimeKind.Utc)],
                [null, null, null, null, null, null],
            ]);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Equal(
            "Name,Count,Rate,Amount,Due,Sent at\r\n" +
            "\"Acme, S.A.\",1234567,0.125,1234567.50,2026-03-31,2026-03-31 09:05:07\r\n" +
            "\"He said \"\"hi\"\"\nthen left\",-3,-2,0.005,2026-01-02,2026-01-02 08:15:00\r\n" +
            ",,,,,\r\n",
            Encoding.UTF8.GetString(bytes[3..]));
    }

    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+57 300", "'+57 300")]
    [InlineData("-5", "'-5")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "\"'\rcmd\"")]
    [InlineData("a=b", "a=b")]
    public async Task WriteAsync_WhenTextLooksLikeAFormula_NeutralisesIt(string text, string expected)
    {
        var path = folder.File("formula.csv");

        await Sheets.WriteAsync(path, SpreadsheetFormat.Csv, [new("=Header", CellKind.Text)], [[text]]);

        Assert.Equal($"'=Header\r\n{expected}\r\n", Encoding.UTF8.GetString((await File.ReadAllBytesAsync(path))[3..]));
    }

    [Fact]
    public async Task WriteAsync_WhenReadBack_ReaderSeesTheSameFields()
    {
        var path = folder.File("roundtrip.csv");
        string[] tricky = ["comma, inside", "quote \" inside", "line\r\nbreak", "semi;colon", "ñandú ☃"];

        await Sheets.WriteAsync(path, SpreadsheetFormat.Csv, tricky.Select(t => new SpreadsheetColumn(t, CellKind.Text)).ToList(), [tricky]);

        var rows = await Sheets.ReadAsync(path, SpreadsheetFormat.Csv);
        Assert.Equal(2, rows.Count);
        Assert.Equal(tricky, rows[0].Cells);
        Assert.Equal(tricky, rows[1].Cells);
        Assert.Equal(2, rows[1].RowNumber);
    }

    // Reading

    [Fact]
    public async Task ReadRowsAsync_WhenQuotedFieldsHoldSeparatorsQuotesAndLineBreaks_ReadsThemWhole()
    {
        var rows = await Sheets.ReadTextAsync(folder, "id,note\r\n1,\"a, \"\"quoted\"\"\r\nnote\"\r\n2,plain\r\n");

        Assert.Equal(["id", "note"], rows[0].Cells);
        Assert.Equal(["1", "a, \"quoted\"\r\nnote"], rows[1].Cells);
        Assert.Equal(["2", "plain"], rows[2].Cells);
        Assert.Equal([1L, 2, 3], rows.Select(r => r.RowNumber));
    }

    [Fact]
    public async Task ReadRowsAsync_WhenLfLineEndsAndNoFinalLineBreak_ReadsEveryRecord()
    {
        var rows = await Sheets.ReadTextAsync(folder, "a,b\n1,2\n3,4");

        Assert.Equal(3, rows.Count);
        Assert.Equal(["3", "4"], rows[2].Cells);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenBlankAndEmptyLines_SkipsThemAndKeepsRowNumbers()
    {
        var rows = await Sheets.ReadTextAsync(folder, "a,b,c\r\n\r\n1,,\r\n,,\r\n,2\r\n");

        Assert.Equal([1L, 3, 5], rows.Select(r => r.RowNumber));
        Assert.Equal(["1"], rows[1].Cells);
        Assert.Equal([null, "2"], rows[2].Cells);
        Assert.Null(rows[1][2]);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenHeaderUsesSemicolonsAndNoComma_SplitsOnSemicolons()
    {
        var rows = await Sheets.ReadTextAsync(folder, "\uFEFFNombre;Valor;Fecha\r\nAcme, S.A.;1.234,50;31/03/2026\r\n\"x;y\";2;\r\n");

        Assert.Equal(["Nombre", "Valor", "Fecha"], rows[0].Cells);
        Assert.Equal(["Acme, S.A.", "1.234,50", "31/03/2026"], rows[1].Cells);
        Assert.Equal(["x;y", "2"], rows[2].Cells);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenHeaderHasCommas_KeepsSemicolonsInFields()
    {
        var rows = await Sheets.ReadTextAsync(folder, "a,b\r\nx;y,z\r\n");

        Assert.Equal(["x;y", "z"], rows[1].Cells);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenBomPresent_FirstHeaderHasNoBom()
    {
        var rows = await Sheets.ReadTextAsync(folder, "\uFEFFid,name\r\n");

        Assert.Equal("id", rows[0].Cells[0]);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenAQuoteIsNeverClosed_ThrowsNamingTheRow()
    {
        var error = await Assert.ThrowsAsync<SpreadsheetFormatException>(() =>
            Sheets.ReadTextAsync(folder, "a,b\r\n1,2\r\n3,\"open\r\n4,5\r\n"));

        Assert.Equal("Row 3 has an unterminated quoted field.", error.Message);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenFileIsNotUtf8_ThrowsAskingForCsvUtf8()
    {
        var path = folder.File("latin1.csv");
        await File.WriteAllBytesAsync(path, Encoding.Latin1.GetBytes("nombre\r\nNuñez\r\n"));

        var error = await Assert.ThrowsAsync<SpreadsheetFormatException>(() => Sheets.ReadAsync(path, SpreadsheetFormat.Csv));

        Assert.StartsWith("Row 2 is not UTF-8 text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadRowsAsync_WhenRecordsSpanManyBuffers_ReadsEveryRow()
    {
        var text = new StringBuilder("id,text\r\n");
        for (var i = 1; i <= 20_000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i},\"quoted \"\"{i}\"\" with, comma\"\r\n");
        }

        var rows = await Sheets.ReadTextAsync(folder, text.ToString());

        Assert.Equal(20_001, rows.Count);
        Assert.Equal(["20000", "quoted \"20000\" with, comma"], rows[^1].Cells);
        Assert.Equal(20_001, rows[^1].RowNumber);
    }
}
