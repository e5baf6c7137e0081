using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// One worksheet being written: header row, then data rows, each cell typed by its column's kind.
/// <para>
/// The XML is written by hand as UTF-8 bytes into a pooled buffer that goes to the zip entry every
/// <see cref="FlushThreshold"/> bytes. A general XML writer checks every name, attribute and character it is given;
/// here the markup is fixed and only cell text needs looking at, so what is left per cell is copying precomputed
/// bytes, formatting a number in place, and transcoding text (escaping &lt;, &gt; and &amp; where they occur).
/// </para>
/// </summary>
internal sealed class XlsxSheetWriter : IAsyncDisposable
{
    /// <summary>Buffered bytes go to the zip entry past this size; only a single cell longer than that grows the buffer.</summary>
    private const int FlushThreshold = 64 * 1024;

    /// <summary>Excel's widest column, in characters.</summary>
    private const double MaxColumnWidth = 255;

    /// <summary>Markup around a cell's value, apart from its reference: <c>&lt;c r="</c>, <c>" s="3"&gt;&lt;v&gt;</c>, …</summary>
    private const int CellMarkupBytes = 96;

    /// <summary>A formatted long, decimal or double, with room to spare.</summary>
    private const int NumberBytes = 48;

    /// <summary>The worst case of one UTF-16 character: &amp; becomes <c>&amp;amp;</c>.</summary>
    private const int MaxBytesPerCharacter = 5;

    private static readonly SearchValues<char> Markup = SearchValues.Create("<>&");

    private readonly Stream stream;
    private readonly IReadOnlyList<SpreadsheetColumn> columns;

    /// <summary>Per column, <c>&lt;c r="</c> and its letters, ready to be followed by the row number.</summary>
    private readonly byte[][] cellStarts;

    private readonly byte[] rowNumber = new byte[20];
    private int rowNumberLength;
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(2 * FlushThreshold);
    private int position;
    private long sheetRow;

    private XlsxSheetWriter(Stream stream, IReadOnlyList<SpreadsheetColumn> columns)
    {
        this.stream = stream;
        this.columns = columns;
        cellStarts = Enumerable.Range(0, columns.Count).Select(i => Encoding.ASCII.GetBytes("<c r=\"" + ColumnLetters(i))).ToArray();
    }

    public long DataRows => sheetRow - 1;

    /// <summary>Starts the worksheet in <paramref name="stream"/> (an open zip entry, which the writer closes) and writes its header row.</summary>
    public static async Task<XlsxSheetWriter> StartAsync(Stream stream, IReadOnlyList<SpreadsheetColumn> columns, bool selected, CancellationToken cancellationToken)
    {
        var sheet = new XlsxSheetWriter(stream, columns);
        try
        {
            sheet.WriteStart(selected);
            for (var i = 0; i < columns.Count; i++)
            {
                sheet.WriteColumn(i);
                await sheet.FlushIfFullAsync(cancellationToken);
            }

            sheet.WriteAscii("</cols><sheetData>");
            sheet.StartRow();
            for (var i = 0; i < columns.Count; i++)
            {
                sheet.WriteText(i, columns[i].Header, header: true);
                await sheet.FlushIfFullAsync(cancellationToken);
            }

            sheet.EndRow();
            return sheet;
        }
        catch
        {
            await sheet.DisposeAsync();
            throw;
        }
    }

    public async ValueTask WriteRowAsync(object?[] values, CancellationToken cancellationToken)
    {
        if (values.Length != columns.Count)
        {
            throw new ArgumentException($"A row has {values.Length} values for {columns.Count} columns.", nameof(values));
        }

        StartRow();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } value)
            {
                WriteCell(i, value);

                // Checked per cell, not per row, so that a row of many long texts does not grow the buffer either.
                if (position >= FlushThreshold)
                {
                    await FlushAsync(cancellationToken);
                }
            }
        }

        EndRow();
    }

    /// <summary>Closes sheetData and the worksheet and sends what is buffered; a sheet left incomplete by an error is only disposed.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        Ensure(32);
        Write("</sheetData></worksheet>"u8);
        await FlushAsync(cancellationToken);
    }

    /// <summary>Closes the zip entry, which must happen before the archive opens another.</summary>
    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
        }
    }

    private static string ColumnLetters(int index)
    {
        var letters = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }

        return letters;
    }

    private void WriteStart(bool selected)
    {
        WriteAscii("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
        WriteAscii("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
        WriteAscii(selected ? "<sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\">" : "<sheetViews><sheetView workbookViewId=\"0\">");
        WriteAscii("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>");
        WriteAscii("<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/></sheetView></sheetViews>");
        WriteAscii("<sheetFormatPr defaultRowHeight=\"15\"/><cols>");
    }

    private void WriteColumn(int index)
    {
        var width = Math.Clamp(columns[index].Width, 0, MaxColumnWidth);
        WriteAscii(string.Create(CultureInfo.InvariantCulture, $"<col min=\"{index + 1}\" max=\"{index + 1}\" width=\"{width}\" customWidth=\"1\"/>"));
    }

    private ValueTask FlushIfFullAsync(CancellationToken cancellationToken) =>
        position >= FlushThreshold ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await stream.WriteAsync(buffer.AsMemory(0, position), cancellationToken);
        position = 0;
    }

    private void StartRow()
    {
        (++sheetRow).TryFormat(rowNumber, out rowNumberLength, provider: CultureInfo.InvariantCulture);
        Ensure(32);
        Write("<row r=\""u8);
        Write(rowNumber.AsSpan(0, rowNumberLength));
        Write("\">"u8);
    }

    private void EndRow()
    {
        Ensure(8);
        Write("</row>"u8);
    }

    private void WriteCell(int index, object value)
    {
        var column = columns[index];
        switch (column.Kind)
        {
            case CellKind.Integer:
                StartNumber(index, "\" s=\"2\"><v>"u8);
                CellValues.Integer(value, column).TryFormat(buffer.AsSpan(position), out var integerBytes, provider: CultureInfo.InvariantCulture);
                EndNumber(integerBytes);
                break;
            case CellKind.Decimal:
                StartNumber(index, "\"><v>"u8);
                CellValues.Decimal(value, column).TryFormat(buffer.AsSpan(position), out var decimalBytes, provider: CultureInfo.InvariantCulture);
                EndNumber(decimalBytes);
                break;
            case CellKind.Money:
                StartNumber(index, "\" s=\"3\"><v>"u8);
                CellValues.Decimal(value, column).TryFormat(buffer.AsSpan(position), out var moneyBytes, provider: CultureInfo.InvariantCulture);
                EndNumber(moneyBytes);
                break;
            case CellKind.Date:
                WriteDate(index, CellValues.Date(value, column).ToDateTime(TimeOnly.MinValue), "\" s=\"4\"><v>"u8, "yyyy-MM-dd");
                break;
            case CellKind.DateTime:
                WriteDate(index, CellValues.Instant(value, column), "\" s=\"5\"><v>"u8, "yyyy-MM-dd HH:mm:ss");
                break;
            default:
                WriteText(index, CellValues.Text(value), header: false);
                break;
        }
    }

    private void WriteDate(int index, DateTime wallClock, ReadOnlySpan<byte> styleAndValue, string textFormat)
    {
        // Excel cannot show days before 1900 as dates; they stay readable as text.
        if (wallClock < ExcelDates.MinDate)
        {
            WriteText(index, wallClock.ToString(textFormat, CultureInfo.InvariantCulture), header: false);
            return;
        }

        StartNumber(index, styleAndValue);
        ExcelDates.ToSerial(wallClock).TryFormat(buffer.AsSpan(position), out var serialBytes, provider: CultureInfo.InvariantCulture);
        EndNumber(serialBytes);
    }

    /// <summary>Writes <c>&lt;c r="B7" s="3"&gt;&lt;v&gt;</c> with room after it for the number.</summary>
    private void StartNumber(int index, ReadOnlySpan<byte> styleAndValue)
    {
        Ensure(CellMarkupBytes + cellStarts[index].Length + NumberBytes);
        Write(cellStarts[index]);
        Write(rowNumber.AsSpan(0, rowNumberLength));
        Write(styleAndValue);
    }

    private void EndNumber(int numberBytes)
    {
        position += numberBytes;
        Write("</v></c>"u8);
    }

    /// <summary>An inline string: no shared-string table grows in memory, and the text is neutralised against formulas.</summary>
    private void WriteText(int index, string? raw, bool header)
    {
        var content = CellValues.XlsxText(SpreadsheetText.Neutralize(raw) ?? string.Empty);
        if (content.Length == 0 && !header)
        {
            return;
        }

        Ensure(CellMarkupBytes + cellStarts[index].Length + (MaxBytesPerCharacter * content.Length));
        Write(cellStarts[index]);
        Write(rowNumber.AsSpan(0, rowNumberLength));
        Write(header ? "\" s=\"1\" t=\"inlineStr\"><is>"u8 : "\" t=\"inlineStr\"><is>"u8);
        Write(content.Length > 0 && (char.IsWhiteSpace(content[0]) || char.IsWhiteSpace(content[^1])) ? "<t xml:space=\"preserve\">"u8 : "<t>"u8);
        WriteEscaped(content);
        Write("</t></is></c>"u8);
    }

    /// <summary>
    /// Text as UTF-8 element content. Only &lt; and &amp; must be escaped there (&gt; too, after <c>]]</c>); the
    /// text has already lost the characters XML cannot carry, so it transcodes without replacements.
    /// </summary>
    private void WriteEscaped(ReadOnlySpan<char> text)
    {
        while (true)
        {
            var markup = text.IndexOfAny(Markup);
            var plain = markup < 0 ? text : text[..markup];
            Utf8.FromUtf16(plain, buffer.AsSpan(position), out _, out var plainBytes, replaceInvalidSequences: false);
            position += plainBytes;
            if (markup < 0)
            {
                return;
            }

            Write(text[markup] switch
            {
                '<' => "&lt;"u8,
                '>' => "&gt;"u8,
                _ => "&amp;"u8,
            });
            text = text[(markup + 1)..];
        }
    }

    private void WriteAscii(ReadOnlySpan<char> text)
    {
        Ensure(text.Length);
        position += Encoding.ASCII.GetBytes(text, buffer.AsSpan(position));
    }

    /// <summary>
    /// Room for <paramref name="bytes"/> more. The buffer is flushed past <see cref="FlushThreshold"/>, so only a cell
    /// of thousands of characters (at most Excel's 32,767) can need a larger one.
    /// </summary>
    private void Ensure(int bytes)
    {
        if (buffer.Length - position >= bytes)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(position + bytes);
        buffer.AsSpan(0, position).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = larger;
    }

    /// <summary>Copies bytes the caller has made room for with <see cref="Ensure"/>.</summary>
    private void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer.AsSpan(position));
        position += bytes.Length;
    }
}
