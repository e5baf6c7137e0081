using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// RFC 4180 records from UTF-8 text (BOM optional): quoted fields with "" escapes and separators or line breaks inside,
/// CRLF or LF line ends. The separator is a comma, or a semicolon when the header line has semicolons and no comma
/// (Excel saves that way where the decimal separator is a comma, as in Spanish locales). Text is scanned a run at a
/// time up to the next character that matters, and held to the <see cref="SpreadsheetLimits"/>: cells, records,
/// columns and rows.
/// </summary>
/// <remarks>
/// Bytes that are not UTF-8 and NUL characters are refused, naming the row and line: a file saved in a legacy code
/// page would be imported with garbled names (Excel's plain "CSV" is Windows-1252), and no text column can hold a NUL.
/// </remarks>
internal sealed class CsvRowReader
{
    /// <summary>How far into the file the header line is looked for when choosing the separator.</summary>
    private const int MaxHeaderCharacters = 1_048_576;

    private const int ChunkCharacters = 32 * 1024;

    /// <summary>What the decoder puts where bytes are not UTF-8.</summary>
    private const char Replacement = '\uFFFD';

    private static readonly SearchValues<char> CommaStops = SearchValues.Create(",\"\r\n\0\uFFFD");
    private static readonly SearchValues<char> SemicolonStops = SearchValues.Create(";\"\r\n\0\uFFFD");
    private static readonly SearchValues<char> QuotedStops = SearchValues.Create("\"\n\0\uFFFD");

    private readonly TextReader text;
    private readonly SpreadsheetLimits limits;
    private readonly StringBuilder field = new();
    private readonly List<string?> fields = [];
    private char[] buffer = new char[ChunkCharacters];
    private int position;
    private int length;
    private bool endOfText;
    private char separator = ',';
    private SearchValues<char> unquotedStops = CommaStops;
    private bool inQuotes;
    private long recordCharacters;

    private CsvRowReader(TextReader text, SpreadsheetLimits limits)
    {
        this.text = text;
        this.limits = limits;
    }

    /// <summary>The record being read, counting blank lines, as Excel numbers the rows of a csv file.</summary>
    private long RowNumber { get; set; }

    /// <summary>The line of the file the reader is on (quoted fields may hold line breaks, so lines run ahead of rows).</summary>
    private long Line { get; set; } = 1;

    public static async IAsyncEnumerable<SpreadsheetRow> ReadAsync(
        Stream content, SpreadsheetLimits limits, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Invalid bytes decode to U+FFFD, which the reader refuses naming the row.
        using var text = new StreamReader(
            content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: false,
            bufferSize: 64 * 1024, leaveOpen: true);
        var reader = new CsvRowReader(text, limits);
        await reader.StartAsync(cancellationToken);
        while (await reader.ReadRecordAsync(cancellationToken) is { } cells)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Blank lines count: a file of empty lines costs as much to read as one of rows.
            if (reader.RowNumber > limits.MaxRows + 1)
            {
                throw new SpreadsheetFormatException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The file has more than {limits.MaxRows:N0} rows after its header row (blank lines count too). Split it into files of at most {limits.MaxRows:N0} rows and upload them again."));
            }

            if (cells.Length > 0)
            {
                yield return new SpreadsheetRow(reader.RowNumber, cells);
            }
        }
    }

    /// <summary>Skips a byte order mark and chooses the separator from the header line.</summary>
    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await FillAsync(cancellationToken);
        if (length > 0 && buffer[0] == '\uFEFF')
        {
            position = 1;
        }

        int lineEnd;
        while ((lineEnd = Array.IndexOf(buffer, '\n', position, length - position)) < 0 && !endOfText && length < MaxHeaderCharacters)
        {
            await FillAsync(cancellationToken);
        }

        var header = buffer.AsSpan(position, (lineEnd < 0 ? length : lineEnd) - position);
        if (header.Contains(';') && !header.Contains(','))
        {
            separator = ';';
            unquotedStops = SemicolonStops;
        }
    }

    /// <summary>Reads more text after what is buffered, keeping what has not been consumed.</summary>
    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (position > 0)
        {
            Array.Copy(buffer, position, buffer, 0, length - position);
            length -= position;
            position = 0;
        }

        if (length + ChunkCharacters > buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
        }

        var read = await text.ReadAsync(buffer.AsMemory(length, ChunkCharacters), cancellationToken);
        length += read;
        endOfText = read == 0;
    }

    /// <summary>The next record's fields, trailing empty ones trimmed (empty for a blank line); null at the end.</summary>
    private async ValueTask<string?[]?> ReadRecordAsync(CancellationToken cancellationToken)
    {
        fields.Clear();
        field.Clear();
        recordCharacters = 0;
        inQuotes = false;
        var atFieldStart = true;
        var started = false;
        var firstLine = Line;
        RowNumber++;
        while (true)
        {
            if (position == length)
            {
                if (endOfText)
                {
                    break;
                }

                await FillAsync(cancellationToken);
                continue;
            }

            var rest = buffer.AsSpan(position, length - position);
            if (inQuotes)
            {
                var stop = rest.IndexOfAny(QuotedStops);
                if (stop < 0)
                {
                    Append(rest);
                    position = length;
                    continue;
                }

                Append(rest[..stop]);
                position += stop;
                var c = buffer[position];
                if (c == '\n')
                {
                    Append("\n");
                    position++;
                    Line++;
                    continue;
                }

                if (c != '"')
                {
                    throw NotText(c);
                }

                // "" is an escaped quote; a lone quote closes the field. The next character decides which.
                if (position + 1 == length && !endOfText)
                {
                    await FillAsync(cancellationToken);
                    continue;
                }

                position++;
                if (position < length && buffer[position] == '"')
                {
                    Append("\"");
                    position++;
                }
                else
                {
                    inQuotes = false;
                }

                continue;
            }

            started = true;
            var next = rest.IndexOfAny(unquotedStops);
            if (next != 0)
            {
                var run = next < 0 ? rest : rest[..next];
                Append(run);
                position += run.Length;
                atFieldStart = false;
                continue;
            }

            var stopCharacter = buffer[position++];
            if (stopCharacter == separator)
            {
                EndField();
                atFieldStart = true;
            }
            else if (stopCharacter is '\n' or '\r')
            {
                if (stopCharacter == '\r')
                {
                    await SkipLineFeedAsync(cancellationToken);
                }

                var record = EndRecord();
                Line++;
                return record;
            }
            else if (stopCharacter == '"')
            {
                if (atFieldStart)
                {
                    inQuotes = true;
                    atFieldStart = false;
                }
                else
                {
                    // Quotes inside an unquoted field, or after a closing quote, are kept as they are, as Excel does.
                    Append("\"");
                }
            }
            else
            {
                throw NotText(stopCharacter);
            }
        }

        if (inQuotes)
        {
            throw new SpreadsheetFormatException($"{Where(firstLine)} has an unterminated quoted field.");
        }

        return started ? EndRecord() : null;
    }

    private async Task SkipLineFeedAsync(CancellationToken cancellationToken)
    {
        if (position == length && !endOfText)
        {
            await FillAsync(cancellationToken);
        }

        if (position < length && buffer[position] == '\n')
        {
            position++;
        }
    }

    private void Append(ReadOnlySpan<char> run)
    {
        if (field.Length + run.Length > limits.MaxCellCharacters)
        {
            var excel = limits.MaxCellCharacters == SpreadsheetLimits.ExcelMaxCellCharacters ? " (as in Excel)" : string.Empty;
            var quote = inQuotes ? " A closing quote may be missing." : string.Empty;
            throw new SpreadsheetFormatException(string.Create(
                CultureInfo.InvariantCulture,
                $"{Where(Line)}, column {fields.Count + 1}, holds more than {limits.MaxCellCharacters:N0} characters; a cell may hold at most {limits.MaxCellCharacters:N0}{excel}.{quote}"));
        }

        field.Append(run);
    }

    /// <summary>Empty fields, quoted or not, read as missing values, as gaps in an xlsx do.</summary>
    private void EndField()
    {
        recordCharacters += field.Length + 1;
        if (recordCharacters > limits.MaxRowCharacters)
        {
            throw new SpreadsheetFormatException(string.Create(
                CultureInfo.InvariantCulture,
                $"{Where(Line)} is longer than {limits.MaxRowCharacters:N0} characters, more than a row may hold; a closing quote may be missing, or the file may not be a CSV file."));
        }

        if (fields.Count == SpreadsheetLimits.MaxColumns)
        {
            throw new SpreadsheetFormatException(string.Create(
                CultureInfo.InvariantCulture,
                $"{Where(Line)} has more than {SpreadsheetLimits.MaxColumns:N0} columns, more than a sheet can hold; the file may not be a CSV file."));
        }

        fields.Add(field.Length == 0 ? null : field.ToString());
        field.Clear();
    }

    private string?[] EndRecord()
    {
        EndField();
        var count = fields.Count;
        while (count > 0 && fields[count - 1] is null)
        {
            count--;
        }

        if (count == 0)
        {
            return [];
        }

        var values = new string?[count];
        fields.CopyTo(0, values, 0, count);
        return values;
    }

    private SpreadsheetFormatException NotText(char character) => new(character == Replacement
        ? $"{Where(Line)} is not UTF-8 text; save the file as \"CSV UTF-8\" and upload it again."
        : $"{Where(Line)} holds a NUL character (a zero byte), which no text can hold; the file may be damaged, or not a CSV file. Save it again as \"CSV UTF-8\" and upload it again.");

    /// <summary>"Row 7", and the line too where quoted line breaks have put them apart.</summary>
    private string Where(long line) => line == RowNumber
        ? string.Create(CultureInfo.InvariantCulture, $"Row {RowNumber}")
        : string.Create(CultureInfo.InvariantCulture, $"Row {RowNumber} (line {line} of the file)");
}
