using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// An xlsx's shared strings, read from their part as far as the cells ask: a header row needs the first few, and a
/// whole sheet reads them once, interleaved with its rows. Strings read are kept, since any later cell may refer to them;
/// the part's unpacked size and the number of strings are held to the limits, and so is what they take in memory.
/// </summary>
internal sealed class XlsxSharedStrings(XlsxPackage package, string? partName) : IDisposable
{
    private readonly List<string> _strings = [];
    private readonly Utf8Text _text = new();
    private XlsxPartReader? _reader;
    private bool _exhausted = partName is null;

    /// <summary>The string at <paramref name="index"/>; false when the workbook has fewer.</summary>
    public bool TryGet(int index, [NotNullWhen(true)] out string? text)
    {
        while (index >= _strings.Count && !_exhausted)
        {
            ReadNext();
        }

        if (index >= 0 && index < _strings.Count)
        {
            text = _strings[index];
            return true;
        }

        text = null;
        return false;
    }

    public void Dispose() => _reader?.Dispose();

    private void ReadNext()
    {
        var limits = package.Limits;
        var reader = _reader ??= package.OpenPart(partName!, XlsxPartLimit.SharedStrings(limits));
        while (reader.Read())
        {
            if (reader.Token == XlsxPartToken.StartElement && reader.IsMain && reader.LocalName.SequenceEqual("si"u8))
            {
                if (_strings.Count == limits.MaxSharedStrings)
                {
                    throw new SpreadsheetFormatException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"The workbook holds more than {limits.MaxSharedStrings:N0} different texts, more than an upload may hold. Split the sheet into smaller files and upload each."));
                }

                _strings.Add(ItemText(reader, limits));
                return;
            }
        }

        _exhausted = true;
    }

    /// <summary>An item's text runs (not its phonetic runs), leaving the reader on the item's end.</summary>
    private string ItemText(XlsxPartReader reader, SpreadsheetLimits limits)
    {
        _text.Clear();
        if (reader.IsEmptyElement)
        {
            return string.Empty;
        }

        // A UTF-16 character takes at most 3 UTF-8 bytes: past that many, the text is too long whatever it holds.
        var maxBytes = (int)Math.Min(int.MaxValue, 3L * limits.MaxCellCharacters);
        var depth = reader.Depth;
        while (reader.Read() && reader.Depth > depth)
        {
            if (reader.Token != XlsxPartToken.StartElement || !reader.IsMain)
            {
                continue;
            }

            if (reader.LocalName.SequenceEqual("rPh"u8))
            {
                // Furigana runs are reading aids, not part of the text.
                reader.Skip();
            }
            else if (reader.LocalName.SequenceEqual("t"u8) && !reader.ReadElementText(_text, maxBytes))
            {
                throw TooLong(string.Create(CultureInfo.InvariantCulture, $"more than {limits.MaxCellCharacters:N0}"), limits);
            }
        }

        if (XlsxRowReader.HasForbiddenControl(_text.Span, out var code))
        {
            throw XlsxRowReader.NotAWorkbook(
                $"its table of texts holds an invisible control character (code {code}) that a workbook cannot hold; delete it and upload the file again");
        }

        string text;
        try
        {
            text = _text.ToString();
        }
        catch (DecoderFallbackException exception)
        {
            throw XlsxRowReader.NotAWorkbook("its table of texts holds text that is not valid UTF-8", exception);
        }

        return text.Length <= limits.MaxCellCharacters ? text : throw TooLong(text.Length.ToString("N0", CultureInfo.InvariantCulture), limits);
    }

    private static SpreadsheetFormatException TooLong(string length, SpreadsheetLimits limits) =>
        XlsxRowReader.CellTooLong("A text of the workbook", length, limits);
}
