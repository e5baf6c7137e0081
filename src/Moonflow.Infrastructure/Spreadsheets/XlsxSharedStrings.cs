using System.Diagnostics.CodeAnalysis;
using System.Xml;
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
    private Stream? _stream;
    private XmlReader? _reader;
    private string _main = string.Empty;
    private string _item = string.Empty;
    private string _text = string.Empty;
    private string _phoneticRun = string.Empty;
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

    public void Dispose()
    {
        _reader?.Dispose();
        _stream?.Dispose();
    }

    private void ReadNext()
    {
        var reader = _reader ?? Open();
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && ReferenceEquals(reader.LocalName, _item) && reader.NamespaceURI == _main)
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

    private XmlReader Open()
    {
        _stream = part!.GetStream(FileMode.Open, FileAccess.Read);
        _reader = XmlReader.Create(_stream, XlsxRowReader.PartSettings);
        _item = _reader.NameTable.Add("si");
        _text = _reader.NameTable.Add("t");
        _phoneticRun = _reader.NameTable.Add("rPh");
        if (_reader.MoveToContent() == XmlNodeType.Element)
        {
            _main = _reader.NamespaceURI;
        }

        return _reader;
    }

    /// <summary>An item's text runs (not its phonetic runs), leaving the reader on the item's end.</summary>
    private string ItemText(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            return string.Empty;
        }

        string? first = null;
        System.Text.StringBuilder? more = null;
        var depth = reader.Depth;
        while (reader.Read() && reader.Depth > depth)
        {
            if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI != _main)
            {
                continue;
            }

            if (ReferenceEquals(reader.LocalName, _phoneticRun))
            {
                // Furigana runs are reading aids, not part of the text.
                XlsxRowReader.SkipToEnd(reader);
            }
            else if (ReferenceEquals(reader.LocalName, _text))
            {
                var run = XlsxRowReader.ElementText(reader);
                if (first is null)
                {
                    first = run;
                }
                else
                {
                    (more ??= new System.Text.StringBuilder(first)).Append(run);
                }
            }
        }

        return more?.ToString() ?? first ?? string.Empty;
    }
}
