using System.Buffers;
using System.IO.Compression;

namespace Moonflow.Application.Common.Spreadsheets;

/// <summary>
/// Tells an upload's format by its content, never by its name (a renamed .exe is not a .csv): xlsx is a zip holding
/// xl/workbook.xml; csv is text without NUL or other binary control bytes.
/// </summary>
/// <remarks>
/// Text in another encoding than UTF-8 is still a csv here: Excel's plain "CSV" is saved in Windows-1252, the commonest
/// mistake of all, and the csv reader refuses it naming the row and saying how to save the file instead.
/// </remarks>
public static class SpreadsheetSniffer
{
    /// <summary>How much of a text file is checked; enough to reject binaries, which show themselves early.</summary>
    private const int TextSampleBytes = 64 * 1024;

    private static ReadOnlySpan<byte> ZipSignature => [0x50, 0x4B, 0x03, 0x04];

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static ReadOnlySpan<byte> PdfSignature => "%PDF-"u8;

    /// <summary>The format, or null for anything else (pdf, images, executables, an empty file). Restores the position.</summary>
    public static SpreadsheetFormat? Detect(Stream seekableStream)
    {
        ArgumentNullException.ThrowIfNull(seekableStream);
        if (!seekableStream.CanSeek)
        {
            throw new ArgumentException("Sniffing needs a seekable stream.", nameof(seekableStream));
        }

        var start = seekableStream.Position;
        var buffer = ArrayPool<byte>.Shared.Rent(TextSampleBytes);
        try
        {
            var length = seekableStream.ReadAtLeast(buffer.AsSpan(0, TextSampleBytes), TextSampleBytes, throwOnEndOfStream: false);
            var sample = buffer.AsSpan(0, length);
            if (sample.StartsWith(ZipSignature))
            {
                seekableStream.Position = start;
                return IsWorkbookZip(seekableStream) ? SpreadsheetFormat.Xlsx : null;
            }

            return IsText(sample) ? SpreadsheetFormat.Csv : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            seekableStream.Position = start;
        }
    }

    private static bool IsWorkbookZip(Stream stream)
    {
        try
        {
            // Reads the central directory only; entries are not inflated.
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            return zip.Entries.Any(e => e.FullName.Equals("xl/workbook.xml", StringComparison.OrdinalIgnoreCase));
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private static bool IsText(ReadOnlySpan<byte> sample)
    {
        if (sample.StartsWith(Utf8Bom))
        {
            sample = sample[Utf8Bom.Length..];
        }

        // An ASCII-only PDF would pass as text.
        if (sample.IsEmpty || sample.StartsWith(PdfSignature))
        {
            return false;
        }

        foreach (var b in sample)
        {
            // Tab, LF, FF, CR and the DOS end-of-file mark occur in text files; other control bytes mean binary.
            if (b < 0x20 && b is not (0x09 or 0x0A or 0x0C or 0x0D or 0x1A))
            {
                return false;
            }
        }

        return true;
    }
}
