using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// Reads uploads row by row: xlsx by parsing the first worksheet's UTF-8 bytes (XlsxPartReader), csv with an RFC 4180 parser.
/// Neither holds more than a row at a time, apart from an xlsx's shared strings, and both stop at the
/// <see cref="SpreadsheetLimits"/> (from <c>Uploads:Limits</c>) with a reason the uploader can act on.
/// </summary>
public sealed class SpreadsheetReader(SpreadsheetLimits limits) : ISpreadsheetReader
{
    /// <summary>A reader with the default limits.</summary>
    public SpreadsheetReader()
        : this(new SpreadsheetLimits())
    {
    }

    public SpreadsheetLimits Limits { get; } = limits.Problem() is { } problem ? throw new ArgumentException(problem, nameof(limits)) : limits;

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
            SpreadsheetFormat.Xlsx => XlsxRowReader.ReadAsync(content, Limits, cancellationToken),
            SpreadsheetFormat.Csv => CsvRowReader.ReadAsync(content, Limits, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown spreadsheet format."),
        };
    }
}

/// <summary>Refuses to start with limits that cannot work (a node would otherwise refuse every upload).</summary>
internal sealed class SpreadsheetLimitsValidation : Microsoft.Extensions.Options.IValidateOptions<SpreadsheetLimits>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, SpreadsheetLimits options) =>
        options.Problem() is { } problem
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problem)
            : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
}
