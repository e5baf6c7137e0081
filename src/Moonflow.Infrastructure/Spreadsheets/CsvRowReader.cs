using System.Runtime.CompilerServices;
using System.Text;
using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// RFC 4180 records from UTF-8 text (BOM optional): quoted fields with "" escapes and separators or line breaks inside,
/// CRLF or LF line ends. The separator is a comma, or a semicolon when the header line has semicolons and no comma
/// (Excel saves that way where the decimal separator is a comma, as in Spanish locales).
/// </summary>
internal sealed class CsvRowReader
{
    /// <summary>Far beyond a real cell (Excel holds 32,767 characters); reached only when a closing quote is missing.</summary>
    private const int MaxFieldCharacters = 1_048_576;

    /// <summary>How far into the file the header line is looked for when choosing the separator.</summary>
    private const int MaxHeaderCharacters = 1_048_576;

    private const int ChunkCharacters = 32 * 1024;

    private readonly TextReader text;
    private readonly StringBuilder field = new();
    private readonly List<string?> fields = [];
    private char[] buffer = new char[ChunkCharacters];
    private int position;
    private int length;
    private bool endOfText;
    private char separator = ',';

    private CsvRowReader(TextReader text) => this.text = text;

    /// <summary>The record being read, counting blank lines, as Excel numbers the rows of a csv file.</summary>
    private long RowNumber { get; set; }

    public static async IAsyncEnumerable<SpreadsheetRow> ReadAsync(Stream content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Invalid bytes decode to U+FFFD, which Append rejects naming the row: a file saved in a legacy code page must
        // be refused, not imported with garbled names.
        using var text = new StreamReader(
            content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: false,
            bufferSize: 64 * 1024, leaveOpen: true);
        var reader = new CsvRowReader(text);
        await reader.StartAsync(cancellationToken);
        while (await reader.ReadRecordAsync(cancellationToken) is { } cells)
        {
            cancellationToken.ThrowIfCancellationRequested();
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
    private async Task<string?[]?> ReadRecordAsync(CancellationToken cancellationToken)
    {
        fields.Clear();
        field.Clear();
        var inQuotes = false;
        var atFieldStart = true;
        var started = false;
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

            var c = buffer[position];
            if (inQuotes)
            {
                if (c == '"')
                {
                    // "" is an escaped quote; a lone quote closes the field. The next character decides which.
                    if (position + 1 == length && !endOfText)
                    {
                        await FillAsync(cancellationToken);
                        continue;
                    }

                    position++;
                    if (position < length && buffer[position] == '"')
                    {
                        Append('"');
                        position++;
                    }
                    else
                    {
                        inQuotes = false;
                    }

                    continue;
                }

                Append(c);
                position++;
                continue;
            }

            position++;
            started = true;
            if (c == separator)
            {
                EndField();
                atFieldStart = true;
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r')
                {
                    await SkipLineFeedAsync(cancellationToken);
                }

                return EndRecord();
            }
            else if (c == '"' && atFieldStart)
            {
                inQuotes = true;
                atFieldStart = false;
            }
            else
            {
                // Quotes inside an unquoted field, or text after a closing quote, are kept as they are, as Excel does.
                Append(c);
                atFieldStart = false;
            }
        }

        if (inQuotes)
        {
            throw new SpreadsheetFormatException($"Row {RowNumber} has an unterminated quoted field.");
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

    private void Append(char c)
    {
        if (c == '\uFFFD')
        {
            throw new SpreadsheetFormatException($"Row {RowNumber} is not UTF-8 text; save the file as \"CSV UTF-8\" and upload it again.");
        }

        if (field.Length == MaxFieldCharacters)
        {
            throw new SpreadsheetFormatException(
                $"Row {RowNumber} has a field longer than {MaxFieldCharacters:N0} characters; a closing quote may be missing.");
        }

        field.Append(c);
    }

    /// <summary>Empty fields, quoted or not, read as missing values, as gaps in an xlsx do.</summary>
    private void EndField()
    {
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

        return fields.GetRange(0, count).ToArray();
    }
}
