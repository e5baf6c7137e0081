using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// Reads uploads row by row: xlsx by parsing the first worksheet's UTF-8 bytes (XlsxPartReader), csv with an RFC 4180 parser.
/// Neither holds more than a row at a time, apart from an xlsx's shared strings.
/// </summary>
public sealed class SpreadsheetReader : ISpreadsheetReader
{
    public IAsyncEnumerable<SpreadsheetRow> ReadRowsAsync(Stream content, SpreadsheetFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);

        // A zip's directory is at its end: unseekable, .NET would copy the whole upload into memory first.
        if (format == SpreadsheetFormat.Xlsx && !content.CanSeek)
        {
            throw new ArgumentException("An xlsx is read from a seekable stream, such as a FileStream.", nameof(content));
        }

        return format switch
        {
            SpreadsheetFormat.Xlsx => XlsxRowReader.ReadAsync(content, cancellationToken),
            SpreadsheetFormat.Csv => CsvRowReader.ReadAsync(content, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown spreadsheet format."),
        };
    }
}
