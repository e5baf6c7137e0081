using System.IO.Compression;
using System.Text;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Infrastructure.Tests.Support;

namespace Moonflow.Infrastructure.Tests.Spreadsheets;

public sealed class SpreadsheetSnifferTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Detect_WhenXlsxWorkbook_ReturnsXlsxAndRestoresPosition()
    {
        var path = folder.File("upload.bin");
        await Sheets.WriteAsync(path, SpreadsheetFormat.Xlsx, [new("A", CellKind.Text)], [["x"]]);
        await using var file = File.OpenRead(path);
        file.Position = 0;

        Assert.Equal(SpreadsheetFormat.Xlsx, SpreadsheetSniffer.Detect(file));
        Assert.Equal(0, file.Position);
    }

    [Fact]
    public void Detect_WhenCsvWithoutBom_ReturnsCsv() =>
        Assert.Equal(SpreadsheetFormat.Csv, Detect(Encoding.UTF8.GetBytes("documento,nombre\r\n123,Nuñez\r\n")));

    [Fact]
    public void Detect_WhenCsvWithBom_ReturnsCsv() =>
        Assert.Equal(SpreadsheetFormat.Csv, Detect([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("a;b\r\n1;2\r\n")]));

    [Fact]
    public void Detect_WhenMultibyteCharacterIsCutAtTheSampleEnd_ReturnsCsv()
    {
        // 65,535 ASCII bytes and then "ñ" (2 bytes): the first 64 KiB end half-way through it.
        var text = new string('a', 64 * 1024 - 1) + "ñ\r\n";
        Assert.Equal(SpreadsheetFormat.Csv, Detect(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Detect_WhenPdf_ReturnsNull() =>
        Assert.Null(Detect(Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n")));

    [Fact]
    public void Detect_WhenPng_ReturnsNull() =>
        Assert.Null(Detect([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52]));

    [Fact]
    public void Detect_WhenExecutable_ReturnsNull() =>
        Assert.Null(Detect([0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]));

    [Fact]
    public void Detect_WhenTextIsLatin1_ReturnsCsvForTheReaderToExplain() =>
        // Excel's plain "CSV" is Windows-1252: the reader refuses it naming the row and how to save it as UTF-8,
        // which says more to the uploader than "not a csv file".
        Assert.Equal(SpreadsheetFormat.Csv, Detect(Encoding.Latin1.GetBytes("nombre\r\nNuñez\r\n")));

    [Fact]
    public void Detect_WhenZipIsNotAWorkbook_ReturnsNull()
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = new StreamWriter(archive.CreateEntry("word/document.xml").Open()))
        {
            entry.Write("<document/>");
        }

        zip.Position = 0;
        Assert.Null(SpreadsheetSniffer.Detect(zip));
        Assert.Equal(0, zip.Position);
    }

    [Fact]
    public void Detect_WhenZipSignatureButDamaged_ReturnsNull() =>
        Assert.Null(Detect([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]));

    [Fact]
    public void Detect_WhenEmpty_ReturnsNull() => Assert.Null(Detect([]));

    [Fact]
    public void Detect_WhenOnlyAByteOrderMark_ReturnsNull() => Assert.Null(Detect([0xEF, 0xBB, 0xBF]));

    private static SpreadsheetFormat? Detect(byte[] content)
    {
        using var stream = new MemoryStream(content);
        var format = SpreadsheetSniffer.Detect(stream);
        Assert.Equal(0, stream.Position);
        return format;
    }
}
