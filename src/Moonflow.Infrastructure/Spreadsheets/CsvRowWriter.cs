using System.Globalization;
using System.Text;
using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// RFC 4180 csv as Excel opens it: UTF-8 with a byte order mark (without one Excel reads a legacy code page), CRLF
/// line ends, quotes only where a field needs them, invariant formats (dates yyyy-MM-dd, decimals with a point).
/// </summary>
internal static class CsvRowWriter
{
    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    public static async Task<long> WriteAsync(
        Stream output, IReadOnlyList<SpreadsheetColumn> columns, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, Utf8WithBom, bufferSize: 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(Record(columns.Select(c => c.Header)));
        var line = new StringBuilder(256);
        long written = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (row.Length != columns.Count)
            {
                throw new ArgumentException($"A row has {row.Length} values for {columns.Count} columns.", nameof(rows));
            }

            line.Clear();
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0)
                {
                    line.Append(',');
                }

                if (row[i] is { } value)
                {
                    AppendValue(line, columns[i], value);
                }
            }

            await writer.WriteAsync(line.Append("\r\n"), cancellationToken);
            written++;
        }

        await writer.FlushAsync(cancellationToken);
        return written;
    }

    /// <summary>One record of text fields (a header row), quoted and neutralised as any other text, with its line end.</summary>
    public static string Record(IEnumerable<string?> texts)
    {
        var line = new StringBuilder(256);
        var separator = string.Empty;
        foreach (var text in texts)
        {
            AppendText(line.Append(separator), text);
            separator = ",";
        }

        return line.Append("\r\n").ToString();
    }

    private static void AppendValue(StringBuilder line, SpreadsheetColumn column, object value)
    {
        var invariant = CultureInfo.InvariantCulture;
        switch (column.Kind)
        {
            case CellKind.Integer:
                line.Append(invariant, $"{CellValues.Integer(value, column)}");
                break;
            case CellKind.Decimal:
                line.Append(invariant, $"{CellValues.Decimal(value, column)}");
                break;
            case CellKind.Money:
                line.Append(CellValues.MoneyText(CellValues.Decimal(value, column)));
                break;
            case CellKind.Date:
                line.Append(invariant, $"{CellValues.Date(value, column):yyyy-MM-dd}");
                break;
            case CellKind.DateTime:
                line.Append(invariant, $"{CellValues.Instant(value, column):yyyy-MM-dd HH:mm:ss}");
                break;
            default:
                AppendText(line, CellValues.Text(value));
                break;
        }
    }

    private static void AppendText(StringBuilder line, string? text)
    {
        var safe = SpreadsheetText.Neutralize(text) ?? string.Empty;
        if (safe.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(safe);
            return;
        }

        line.Append('"').Append(safe.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
