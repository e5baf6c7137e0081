using Moonflow.Application.Common.Spreadsheets;
using Moonflow.HostileCorpus;
using Moonflow.Infrastructure.Spreadsheets;
using Moonflow.Infrastructure.Tests.Support;

namespace Moonflow.Infrastructure.Tests.Spreadsheets;

/// <summary>
/// The hostile corpus (zip bombs, millions of empty rows, entity tricks, broken text…) through the reader with its
/// default limits: each file is refused with its readable reason, before the reader has gone through the bombs, or is
/// read to its end where that is the right answer.
/// </summary>
public sealed class HostileUploadTests(HostileCorpusFolder corpus) : IClassFixture<HostileCorpusFolder>
{
    /// <summary>Guards against a hang, not a speed figure: the benchmark measures the corpus.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    public static TheoryData<string> RefusedFiles() => new(HostileUploads.Files.Where(f => f.Refusal is not null).Select(f => f.FileName));

    public static TheoryData<string> ReadFiles() => new(HostileUploads.Files.Where(f => f.DataRows is not null).Select(f => f.FileName));

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public async Task ReadRowsAsync_WhenFileIsHostile_RefusesItWithAReadableReason(string fileName)
    {
        var file = HostileUploads.Named(fileName);
        await using var content = new CountingStream(File.OpenRead(corpus.PathOf(file)));

        var error = await Assert.ThrowsAsync<SpreadsheetFormatException>(() => Task.Run(() => ReadToEndAsync(content, file.Format)).WaitAsync(HangGuard));

        Assert.Contains(file.Refusal!, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error.Message, StringComparison.Ordinal);
        if (file.RefusedEarly)
        {
            Assert.True(content.BytesRead < content.Length, $"The reader read all {content.Length:N0} bytes of {fileName} before refusing it.");
        }
    }

    [Theory]
    [MemberData(nameof(ReadFiles))]
    public async Task ReadRowsAsync_WhenFileIsHostileButWellFormed_ReadsItToTheEnd(string fileName)
    {
        var file = HostileUploads.Named(fileName);
        await using var content = File.OpenRead(corpus.PathOf(file));

        var (rows, lastRow) = await Task.Run(() => ReadToEndAsync(content, file.Format)).WaitAsync(HangGuard);

        Assert.Equal(file.DataRows + 1, rows);
        Assert.Equal(file.DataRows + 1, lastRow);
    }

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    [MemberData(nameof(ReadFiles))]
    public async Task Detect_WhenFileIsHostile_TellsItsFormatOrRefusesIt(string fileName)
    {
        var file = HostileUploads.Named(fileName);
        await using var content = File.OpenRead(corpus.PathOf(file));

        var format = SpreadsheetSniffer.Detect(content);

        // A truncated zip has lost its directory: not a workbook at all, refused before reading (415).
        Assert.True(format is null || format == ToFormat(file.Format), $"{fileName} was taken for {format}.");
        Assert.Equal(0, content.Position);
    }

    private static async Task<(long Rows, long LastRow)> ReadToEndAsync(Stream content, HostileFormat format)
    {
        long rows = 0;
        long lastRow = 0;
        await foreach (var row in new SpreadsheetReader().ReadRowsAsync(content, ToFormat(format), CancellationToken.None))
        {
            rows++;
            lastRow = row.RowNumber;
        }

        return (rows, lastRow);
    }

    private static SpreadsheetFormat ToFormat(HostileFormat format) => format == HostileFormat.Xlsx ? SpreadsheetFormat.Xlsx : SpreadsheetFormat.Csv;
}
