using System.Diagnostics.CodeAnalysis;
using DocumentFormat.OpenXml.Packaging;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// An xlsx's shared strings, read from their part as far as the cells ask: a header row needs the first few, and a
/// whole sheet reads them once, interleaved with its rows. Strings read are kept, since any later cell may refer to them.
/// </summary>
internal sealed class XlsxSharedStrings(SharedStringTablePart? part) : IDisposable
{
    /// <summary>
    /// A zip bomb could inflate the shared strings past any upload limit. Legitimate workbooks within the upload
    /// limit stay far below this.
    /// </summary>
    private const long MaxCharacters = 100_000_000;

    private readonly List<string> _strings = [];
    private readonly Utf8Text _text = new();
    private XlsxPartReader? _reader;
    private bool _exhausted = part is null;
    private long _characters;

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
        var reader = _reader ??= XlsxPartReader.Open(() => part!.GetStream(FileMode.Open, FileAccess.Read));
        while (reader.Read())
        {
            if (reader.Token == XlsxPartToken.StartElement && reader.IsMain && reader.LocalName.SequenceEqual("si"u8))
            {
                var text = ItemText(reader);
                _characters += text.Length;
                if (_characters > MaxCharacters)
                {
                    throw XlsxRowReader.NotAWorkbook("its shared text is too large");
                }

                _strings.Add(text);
                return;
            }
        }

        _exhausted = true;
    }

    /// <summary>An item's text runs (not its phonetic runs), leaving the reader on the item's end.</summary>
    private string ItemText(XlsxPartReader reader)
    {
        _text.Clear();
        if (reader.IsEmptyElement)
        {
            return string.Empty;
        }

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
            else if (reader.LocalName.SequenceEqual("t"u8))
            {
                reader.ReadElementText(_text);
            }
        }

        return _text.ToString();
    }
}
