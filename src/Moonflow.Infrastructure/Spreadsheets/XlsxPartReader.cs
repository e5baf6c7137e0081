using System.Buffers;
using System.Text;
using System.Xml;

namespace Moonflow.Infrastructure.Spreadsheets;

internal enum XlsxPartToken
{
    None,
    StartElement,
    EndElement,
    Text,
}

/// <summary>
/// A forward-only reader of a SpreadsheetML part (a worksheet, the shared strings) straight over its UTF-8 bytes, for
/// the parts that grow with an upload. It does what reading cells needs and what an uploaded file must not get past:
/// elements are checked to nest, entities and character references are resolved, line ends are normalized, names are
/// resolved to namespaces, and DTDs are refused (no entity expansion). Names, attributes and text are spans into its
/// buffer, valid until the next <see cref="Read"/>: nothing is allocated per element.
/// </summary>
/// <remarks>
/// An XmlReader spent most of an upload's reading time on work the cells never needed (a string per attribute value
/// and per text node, name-table lookups); this reads a worksheet several times faster.
/// </remarks>
internal sealed class XlsxPartReader : IDisposable
{
    private const int InitialBufferBytes = 64 * 1024;

    /// <summary>A cell holds at most 32,767 characters; a longer run of markup or text is no workbook Excel wrote.</summary>
    private const int MaxTokenBytes = 4 * 1024 * 1024;

    /// <summary>
    /// A worksheet nests seven deep (worksheet, sheetData, row, c, is, r, t); a part nested deeper than this would make
    /// the reader hold every open element, millions of them in a small file.
    /// </summary>
    private const int MaxDepth = 256;

    /// <summary>
    /// A worksheet declares a dozen namespaces; each element's prefix is looked up among those in scope, so thousands
    /// of declarations would make every element of a sheet cost thousands of comparisons.
    /// </summary>
    private const int MaxNamespacesInScope = 256;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
    private int _position;
    private int _length;
    private bool _endOfStream;
    private bool _started;

    // Where the buffer starts in the part, to say where damaged XML is.
    private long _lineOfBuffer = 1;
    private long _lineStartBeforeBuffer;
    private long _offsetOfBuffer;

    // The open elements' qualified names, one after the other, and where each starts.
    private byte[] _names = new byte[256];
    private int _namesLength;
    private readonly List<(int Start, int Length, int Scopes)> _open = [];

    // Namespace declarations in scope, innermost last: a prefix, its namespace and whether that is the root's namespace.
    private readonly List<(byte[] Prefix, byte[] Namespace, bool IsMain)> _scopes =
        [([], [], false), ("xml"u8.ToArray(), "http://www.w3.org/XML/1998/namespace"u8.ToArray(), false)];
    private byte[]? _mainNamespace;

    // The current token.
    private int _nameStart;
    private int _nameLength;
    private int _prefixLength;
    private int _textStart;
    private int _textLength;
    private bool _textIsRaw;
    private readonly List<Attribute> _attributes = [];
    private readonly Utf8Text _scratch = new();

    public XlsxPartReader(Stream stream, string partName = "")
    {
        _stream = stream;
        PartName = partName;
    }

    /// <summary>The part's name in its package, to say where damaged XML is.</summary>
    public string PartName { get; }

    public XlsxPartToken Token { get; private set; }

    /// <summary>How many elements enclose the current one (the root is at 0); an end tag is at its start tag's depth.</summary>
    public int Depth { get; private set; }

    public bool IsEmptyElement { get; private set; }

    /// <summary>Whether the current element is in the root element's namespace (transitional or strict SpreadsheetML).</summary>
    public bool IsMain { get; private set; }

    public ReadOnlySpan<byte> LocalName => _buffer.AsSpan(_nameStart + _prefixLength + (_prefixLength > 0 ? 1 : 0), _nameLength - _prefixLength - (_prefixLength > 0 ? 1 : 0));

    /// <summary>Opens a part's stream as UTF-8 (transcoding a part written in UTF-16 or another declared encoding).</summary>
    public static XlsxPartReader Open(Func<Stream> openPart, string partName = "")
    {
        var stream = openPart();
        Span<byte> head = stackalloc byte[256];
        var read = ReadAtMost(stream, head);
        var encoding = DetectEncoding(head[..read], partName);
        stream.Dispose();
        stream = openPart();
        if (encoding is not null)
        {
            stream = Encoding.CreateTranscodingStream(stream, encoding, Encoding.UTF8, leaveOpen: false);
        }

        return new XlsxPartReader(stream, partName);
    }

    /// <summary>Moves to the next element start, element end or text; false at the end of the part.</summary>
    public bool Read()
    {
        if (Token == XlsxPartToken.StartElement && !IsEmptyElement)
        {
            Depth++;
        }
        else if (Token == XlsxPartToken.EndElement)
        {
            Close();
        }

        if (!_started)
        {
            _started = true;
            if (EnsureBytes(_position, 3) && _buffer.AsSpan(_position, 3).SequenceEqual(stackalloc byte[] { 0xEF, 0xBB, 0xBF }))
            {
                _position += 3;
            }
        }

        while (true)
        {
            if (_position >= _length && !Fill(_position))
            {
                if (_open.Count > 0)
                {
                    throw Damaged("the part ends inside an element");
                }

                if (_mainNamespace is null)
                {
                    throw Damaged("the root element is missing");
                }

                Token = XlsxPartToken.None;
                return false;
            }

            if (_buffer[_position] != (byte)'<')
            {
                if (ReadText())
                {
                    return true;
                }

                continue;
            }

            if (!EnsureBytes(_position, 2))
            {
                throw Damaged("the part ends inside markup");
            }

            switch (_buffer[_position + 1])
            {
                case (byte)'/':
                    ReadEndTag();
                    return true;
                case (byte)'?':
                    _position = EndOf(2, "?>"u8);
                    continue;
                case (byte)'!':
                    if (ReadDeclaration())
                    {
                        return true;
                    }

                    continue;
                default:
                    ReadStartTag();
                    return true;
            }
        }
    }

    /// <summary>The value of the current element's attribute without a prefix (so in no namespace), entities resolved.</summary>
    public bool TryGetAttribute(ReadOnlySpan<byte> localName, out ReadOnlySpan<byte> value)
    {
        foreach (var attribute in _attributes)
        {
            if (attribute.PrefixLength == 0 && _buffer.AsSpan(attribute.NameStart, attribute.NameLength).SequenceEqual(localName))
            {
                value = AttributeValue(attribute);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// The value of the current element's attribute <paramref name="localName"/> in the namespace
    /// <paramref name="namespaceUri"/> (such as <c>r:id</c>), entities resolved.
    /// </summary>
    public bool TryGetAttribute(ReadOnlySpan<byte> namespaceUri, ReadOnlySpan<byte> localName, out ReadOnlySpan<byte> value)
    {
        foreach (var attribute in _attributes)
        {
            if (attribute.PrefixLength == 0 || IsDeclaration(attribute))
            {
                continue;
            }

            var name = _buffer.AsSpan(attribute.NameStart, attribute.NameLength);
            if (name[(attribute.PrefixLength + 1)..].SequenceEqual(localName) && NamespaceOf(name[..attribute.PrefixLength]) is { } uri
                && uri.AsSpan().SequenceEqual(namespaceUri))
            {
                value = AttributeValue(attribute);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Appends the text of the element the reader is on (its descendants' text included) to <paramref name="target"/>,
    /// leaving the reader on its end, as an XmlReader loop over the element would. False, with the reader left inside
    /// the element, as soon as the text is longer than <paramref name="maxBytes"/>: text split by comments or CDATA
    /// sections into short runs must not grow without end.
    /// </summary>
    public bool ReadElementText(Utf8Text target, int maxBytes = int.MaxValue)
    {
        if (IsEmptyElement)
        {
            return true;
        }

        var depth = Depth;
        while (Read() && Depth > depth)
        {
            if (Token == XlsxPartToken.Text)
            {
                AppendText(target);
                if (target.Length > maxBytes)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Moves past the element the reader is on, leaving the reader on its end.</summary>
    public void Skip()
    {
        if (IsEmptyElement)
        {
            return;
        }

        var depth = Depth;
        while (Read() && Depth > depth)
        {
        }
    }

    /// <summary>Appends the current text token, entities resolved and line ends normalized.</summary>
    public void AppendText(Utf8Text target)
    {
        var text = _buffer.AsSpan(_textStart, _textLength);
        if (_textIsRaw)
        {
            AppendNormalizedLineEnds(text, target);
        }
        else
        {
            AppendDecoded(text, target, _textStart);
        }
    }

    public static string ToText(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? string.Empty : StrictUtf8.GetString(utf8);

    /// <summary>
    /// Text from a file, fit to quote in a message: at most 40 characters, control characters (which a database text
    /// column may refuse, as PostgreSQL does NUL) and bytes that are not UTF-8 shown as '?'.
    /// </summary>
    public static string Printable(ReadOnlySpan<byte> utf8) => Printable(Encoding.UTF8.GetString(utf8[..Math.Min(utf8.Length, 160)]));

    /// <inheritdoc cref="Printable(ReadOnlySpan{byte})"/>
    public static string Printable(string text)
    {
        var shown = new StringBuilder(Math.Min(text.Length, 41));
        foreach (var c in text)
        {
            if (shown.Length == 40)
            {
                return shown.Append('…').ToString();
            }

            shown.Append(char.IsControl(c) || c == '\uFFFD' || char.IsSurrogate(c) ? '?' : c);
        }

        return shown.ToString();
    }

    public void Dispose()
    {
        _stream.Dispose();
        var buffer = _buffer;
        _buffer = [];
        ArrayPool<byte>.Shared.Return(buffer);
    }

    private static int ReadAtMost(Stream stream, Span<byte> target)
    {
        var total = 0;
        int read;
        while (total < target.Length && (read = stream.Read(target[total..])) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>The encoding to transcode from, or null for UTF-8 (with or without its byte order mark).</summary>
    private static Encoding? DetectEncoding(ReadOnlySpan<byte> head, string partName)
    {
        if (head.StartsWith(stackalloc byte[] { 0xFF, 0xFE }) || head.StartsWith("<\0?\0"u8))
        {
            return Encoding.Unicode;
        }

        if (head.StartsWith(stackalloc byte[] { 0xFE, 0xFF }) || head.StartsWith("\0<\0?"u8))
        {
            return Encoding.BigEndianUnicode;
        }

        if (head.StartsWith(stackalloc byte[] { 0xEF, 0xBB, 0xBF }))
        {
            return null;
        }

        // <?xml version="1.0" encoding="..."?>: only what the declaration names, if anything but UTF-8.
        if (!head.StartsWith("<?xml"u8))
        {
            return null;
        }

        var end = head.IndexOf("?>"u8);
        var declaration = end < 0 ? head : head[..end];
        var at = declaration.IndexOf("encoding"u8);
        if (at < 0)
        {
            return null;
        }

        var rest = declaration[(at + "encoding".Length)..].TrimStart(" \t\r\n="u8);
        if (rest.IsEmpty || rest[0] is not ((byte)'"' or (byte)'\''))
        {
            return null;
        }

        var close = rest[1..].IndexOf(rest[0]);
        var name = Encoding.ASCII.GetString(close < 0 ? rest[1..] : rest[1..(close + 1)]);
        if (name.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || name.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            throw new XlsxMarkupException($"its encoding '{Printable(name)}' is not supported", partName, 1, 1);
        }
    }

    private static void AppendNormalizedLineEnds(ReadOnlySpan<byte> text, Utf8Text target)
    {
        while (true)
        {
            var cr = text.IndexOf((byte)'\r');
            if (cr < 0)
            {
                target.Append(text);
                return;
            }

            target.Append(text[..cr]);
            target.Append((byte)'\n');
            text = text[(cr + 1)..];
            if (!text.IsEmpty && text[0] == (byte)'\n')
            {
                text = text[1..];
            }
        }
    }

    /// <summary>Text from the document: references resolved, line ends normalized (\r\n and \r become \n).</summary>
    private void AppendDecoded(ReadOnlySpan<byte> text, Utf8Text target, int startInBuffer)
    {
        var consumed = 0;
        while (true)
        {
            var special = text.IndexOfAny((byte)'&', (byte)'\r');
            if (special < 0)
            {
                target.Append(text);
                return;
            }

            target.Append(text[..special]);
            if (text[special] == (byte)'\r')
            {
                target.Append((byte)'\n');
                var skip = special + 1 < text.Length && text[special + 1] == (byte)'\n' ? 2 : 1;
                consumed += special + skip;
                text = text[(special + skip)..];
                continue;
            }

            var semicolon = text[special..].IndexOf((byte)';');
            if (semicolon < 0)
            {
                throw Damaged("an entity reference is not closed", startInBuffer + consumed + special);
            }

            var reference = text.Slice(special + 1, semicolon - 1);
            if (!AppendReference(reference, target))
            {
                throw Damaged($"the reference '&{Printable(reference)};' is not defined", startInBuffer + consumed + special);
            }

            consumed += special + semicolon + 1;
            text = text[(special + semicolon + 1)..];
        }
    }

    private static bool AppendReference(ReadOnlySpan<byte> reference, Utf8Text target)
    {
        byte? named = reference switch
        {
            [(byte)'a', (byte)'m', (byte)'p'] => (byte)'&',
            [(byte)'l', (byte)'t'] => (byte)'<',
            [(byte)'g', (byte)'t'] => (byte)'>',
            [(byte)'q', (byte)'u', (byte)'o', (byte)'t'] => (byte)'"',
            [(byte)'a', (byte)'p', (byte)'o', (byte)'s'] => (byte)'\'',
            _ => null,
        };
        if (named is { } character)
        {
            target.Append(character);
            return true;
        }

        if (reference.Length < 2 || reference[0] != (byte)'#')
        {
            return false;
        }

        var hex = reference[1] is (byte)'x';
        var digits = reference[(hex ? 2 : 1)..];
        if (digits.IsEmpty || digits.Length > 8)
        {
            return false;
        }

        var code = 0;
        foreach (var digit in digits)
        {
            var value = digit switch
            {
                >= (byte)'0' and <= (byte)'9' => digit - '0',
                >= (byte)'a' and <= (byte)'f' when hex => digit - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' when hex => digit - 'A' + 10,
                _ => -1,
            };
            if (value < 0)
            {
                return false;
            }

            code = (code * (hex ? 16 : 10)) + value;
            if (code > 0x10FFFF)
            {
                return false;
            }
        }

        // Only characters XML may carry (no NUL or other C0 controls but tab, line feed and carriage return).
        var isXmlCharacter = code is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);
        if (!isXmlCharacter)
        {
            return false;
        }

        Span<byte> encoded = stackalloc byte[4];
        new Rune(code).TryEncodeToUtf8(encoded, out var written);
        target.Append(encoded[..written]);
        return true;
    }

    /// <summary>Text up to the next markup; whitespace outside the root is no token.</summary>
    private bool ReadText()
    {
        var start = _position;
        var scanned = start;
        int end;
        while (true)
        {
            var at = _buffer.AsSpan(scanned, _length - scanned).IndexOf((byte)'<');
            if (at >= 0)
            {
                end = scanned + at;
                break;
            }

            var kept = _length - start;
            var more = Fill(start);
            start = _position;
            scanned = start + kept;
            if (!more)
            {
                end = _length;
                break;
            }
        }

        _position = end;
        if (_open.Count == 0)
        {
            if (_buffer.AsSpan(start, end - start).TrimStart(" \t\r\n"u8).Length > 0)
            {
                throw Damaged("it has text outside its root element", start);
            }

            return false;
        }

        (_textStart, _textLength, _textIsRaw) = (start, end - start, false);
        Token = XlsxPartToken.Text;
        return true;
    }

    /// <summary>A comment (skipped), a CDATA section (text) or a DTD (refused).</summary>
    private bool ReadDeclaration()
    {
        if (!EnsureBytes(_position, 4))
        {
            throw Damaged("the part ends inside markup");
        }

        if (_buffer.AsSpan(_position, 4).SequenceEqual("<!--"u8))
        {
            _position = EndOf(4, "-->"u8);
            return false;
        }

        if (!EnsureBytes(_position, 9))
        {
            throw Damaged("the part ends inside markup");
        }

        var markup = _buffer.AsSpan(_position, 9);
        if (!markup.SequenceEqual("<![CDATA["u8))
        {
            throw Damaged(markup.StartsWith("<!DOCTYPE"u8) ? "DTDs are not allowed" : "it has markup that is not XML", _position);
        }

        if (_open.Count == 0)
        {
            throw Damaged("it has text outside its root element", _position);
        }

        var end = EndOf(9, "]]>"u8);
        (_textStart, _textLength, _textIsRaw) = (_position + 9, end - 3 - (_position + 9), true);
        _position = end;
        Token = XlsxPartToken.Text;
        return true;
    }

    /// <summary>
    /// The index just past <paramref name="terminator"/>, searched from <paramref name="skip"/> bytes after the current
    /// position (the markup's start, which stays the current position as the buffer fills).
    /// </summary>
    private int EndOf(int skip, ReadOnlySpan<byte> terminator)
    {
        var start = _position;
        var scanned = start + skip;
        while (true)
        {
            var at = _buffer.AsSpan(scanned, _length - scanned).IndexOf(terminator);
            if (at >= 0)
            {
                return scanned + at + terminator.Length;
            }

            var kept = Math.Max(start + skip, _length - terminator.Length + 1) - start;
            if (!Fill(start))
            {
                throw Damaged("the part ends inside markup");
            }

            start = _position;
            scanned = start + kept;
        }
    }

    private void ReadEndTag()
    {
        int end;
        while ((end = EndTagEnd(_position)) < 0)
        {
            if (!Fill(_position))
            {
                throw Damaged("the part ends inside a tag");
            }
        }

        var start = _position;
        var name = _buffer.AsSpan(start + 2, _nameLength);
        if (_open.Count == 0)
        {
            throw Damaged("an end tag has no start tag", start);
        }

        var (openStart, openLength, _) = _open[^1];
        if (!name.SequenceEqual(_names.AsSpan(openStart, openLength)))
        {
            throw Damaged($"the end tag '{Printable(name)}' does not match the start tag '{Printable(_names.AsSpan(openStart, openLength))}'", start);
        }

        _nameStart = start + 2;
        _prefixLength = Math.Max(0, name.IndexOf((byte)':'));
        Depth--;
        IsEmptyElement = false;
        Token = XlsxPartToken.EndElement;
        _attributes.Clear();
        _position = end + 1;
    }

    /// <summary>The index of the '>' ending the end tag at <paramref name="start"/>, its name's length set; -1 if the buffer ends first.</summary>
    private int EndTagEnd(int start)
    {
        var buffer = _buffer;
        var length = _length;
        var at = start + 2;
        while (true)
        {
            if (at >= length)
            {
                return -1;
            }

            var b = buffer[at];
            if (b == (byte)'>' || IsWhitespace(b))
            {
                break;
            }

            at++;
        }

        _nameLength = at - (start + 2);
        while (true)
        {
            if (at >= length)
            {
                return -1;
            }

            var b = buffer[at];
            if (b == (byte)'>')
            {
                return at;
            }

            if (!IsWhitespace(b))
            {
                throw Damaged("an end tag is malformed", start);
            }

            at++;
        }
    }

    /// <summary>Pops the element whose end tag the reader was on.</summary>
    private void Close()
    {
        var (start, _, scopes) = _open[^1];
        _open.RemoveAt(_open.Count - 1);
        _namesLength = start;
        if (_scopes.Count != scopes)
        {
            _scopes.RemoveRange(scopes, _scopes.Count - scopes);
        }
    }

    private void ReadStartTag()
    {
        if (_open.Count == 0 && _mainNamespace is not null)
        {
            throw Damaged("it has a second root element", _position);
        }

        int end;
        bool declares;
        while ((end = StartTagEnd(_position, out declares)) < 0)
        {
            if (!Fill(_position))
            {
                throw Damaged("the part ends inside a tag");
            }
        }

        var start = _position;
        var scopes = _scopes.Count;
        if (_mainNamespace is null)
        {
            DeclareRoot();
        }

        if (declares)
        {
            Declare();
        }

        IsMain = ResolvesToMain(_buffer.AsSpan(_nameStart, _prefixLength), start);
        var qualifiedName = _buffer.AsSpan(_nameStart, _nameLength);
        if (!IsEmptyElement || _open.Count == 0)
        {
            if (_namesLength + qualifiedName.Length > _names.Length)
            {
                Array.Resize(ref _names, Math.Max(_names.Length * 2, _namesLength + qualifiedName.Length));
            }

            if (_open.Count == MaxDepth)
            {
                throw Damaged($"its elements are nested more than {MaxDepth} deep", start);
            }

            qualifiedName.CopyTo(_names.AsSpan(_namesLength));
            _open.Add((_namesLength, qualifiedName.Length, scopes));
            _namesLength += qualifiedName.Length;
            if (IsEmptyElement)
            {
                // An empty root element: the document ends with it.
                Close();
            }
        }
        else if (_scopes.Count != scopes)
        {
            _scopes.RemoveRange(scopes, _scopes.Count - scopes);
        }

        Token = XlsxPartToken.StartElement;
        _position = end + 1;
    }

    /// <summary>
    /// Reads the start tag at <paramref name="start"/> in one pass: its name, attributes and whether it is empty. The
    /// index of its closing '>', or -1 if the buffer ends first (it is read again once the buffer holds more).
    /// </summary>
    private int StartTagEnd(int start, out bool declares)
    {
        var buffer = _buffer;
        var length = _length;
        declares = false;
        _attributes.Clear();
        IsEmptyElement = false;
        var at = start + 1;
        var colon = -1;
        byte b;
        while (true)
        {
            if (at >= length)
            {
                return -1;
            }

            b = buffer[at];
            if (IsWhitespace(b) || b == (byte)'/' || b == (byte)'>')
            {
                break;
            }

            if (b == (byte)':' && colon < 0)
            {
                colon = at - (start + 1);
            }

            at++;
        }

        if (at == start + 1)
        {
            throw Damaged("an element has no name", start);
        }

        _nameStart = start + 1;
        _nameLength = at - _nameStart;
        _prefixLength = Math.Max(0, colon);
        while (true)
        {
            while (true)
            {
                if (at >= length)
                {
                    return -1;
                }

                b = buffer[at];
                if (!IsWhitespace(b))
                {
                    break;
                }

                at++;
            }

            if (b == (byte)'>')
            {
                return at;
            }

            if (b == (byte)'/')
            {
                if (at + 1 >= length)
                {
                    return -1;
                }

                if (buffer[at + 1] != (byte)'>')
                {
                    throw Damaged("a start tag is malformed", start);
                }

                IsEmptyElement = true;
                return at + 1;
            }

            var nameStart = at;
            var attributeColon = -1;
            while (true)
            {
                if (at >= length)
                {
                    return -1;
                }

                b = buffer[at];
                if (b == (byte)'=' || IsWhitespace(b) || b == (byte)'>' || b == (byte)'/')
                {
                    break;
                }

                if (b == (byte)':' && attributeColon < 0)
                {
                    attributeColon = at - nameStart;
                }

                at++;
            }

            var nameLength = at - nameStart;
            while (IsWhitespace(b))
            {
                if (++at >= length)
                {
                    return -1;
                }

                b = buffer[at];
            }

            if (nameLength == 0 || b != (byte)'=')
            {
                throw Damaged("an attribute is malformed", start);
            }

            do
            {
                if (++at >= length)
                {
                    return -1;
                }

                b = buffer[at];
            }
            while (IsWhitespace(b));

            if (b is not ((byte)'"' or (byte)'\''))
            {
                throw Damaged("an attribute value is not quoted", start);
            }

            var quote = b;
            var valueStart = ++at;
            var hasReferences = false;
            while (true)
            {
                if (at >= length)
                {
                    return -1;
                }

                b = buffer[at];
                if (b == quote)
                {
                    break;
                }

                if (b == (byte)'<')
                {
                    throw Damaged("an attribute value holds '<'", start);
                }

                hasReferences |= b == (byte)'&';
                at++;
            }

            var valueLength = at - valueStart;
            if (++at >= length)
            {
                return -1;
            }

            b = buffer[at];
            if (!IsWhitespace(b) && b != (byte)'/' && b != (byte)'>')
            {
                throw Damaged("attributes are not separated", start);
            }

            var attribute = new Attribute(nameStart, nameLength, Math.Max(0, attributeColon), valueStart, valueLength, hasReferences);
            declares |= IsDeclaration(attribute);
            _attributes.Add(attribute);
        }
    }

    /// <summary>The root's own namespace is the one that counts, whichever it is (transitional or strict SpreadsheetML).</summary>
    private void DeclareRoot()
    {
        var ownPrefix = _buffer.AsSpan(_nameStart, _prefixLength);
        _mainNamespace = [];
        foreach (var attribute in _attributes)
        {
            if (IsDeclaration(attribute) && DeclaredPrefix(attribute).SequenceEqual(ownPrefix))
            {
                _mainNamespace = DeclaredNamespace(attribute).ToArray();
            }
        }

        // Without a default declaration, unprefixed names are in no namespace: the main one if the root's is none.
        _scopes[0] = ([], [], _mainNamespace.Length == 0);
    }

    /// <summary>Brings the element's namespace declarations into scope.</summary>
    private void Declare()
    {
        foreach (var attribute in _attributes)
        {
            if (IsDeclaration(attribute))
            {
                if (_scopes.Count == MaxNamespacesInScope)
                {
                    throw Damaged($"it declares more than {MaxNamespacesInScope} namespaces at once", _nameStart);
                }

                var declared = DeclaredNamespace(attribute).ToArray();
                _scopes.Add((DeclaredPrefix(attribute).ToArray(), declared, declared.AsSpan().SequenceEqual(_mainNamespace)));
            }
        }
    }

    /// <summary><c>xmlns="..."</c> or <c>xmlns:prefix="..."</c>.</summary>
    private bool IsDeclaration(Attribute attribute) =>
        (attribute.NameLength == 5 || attribute.PrefixLength == 5) && _buffer.AsSpan(attribute.NameStart, 5).SequenceEqual("xmlns"u8);

    private ReadOnlySpan<byte> DeclaredPrefix(Attribute attribute) =>
        attribute.NameLength == 5 ? default : _buffer.AsSpan(attribute.NameStart + 6, attribute.NameLength - 6);

    private ReadOnlySpan<byte> DeclaredNamespace(Attribute attribute)
    {
        var uri = _buffer.AsSpan(attribute.ValueStart, attribute.ValueLength);
        if (!attribute.HasReferences)
        {
            return uri;
        }

        _scratch.Clear();
        AppendDecoded(uri, _scratch, attribute.ValueStart);
        return _scratch.Span;
    }

    private ReadOnlySpan<byte> AttributeValue(Attribute attribute)
    {
        var value = _buffer.AsSpan(attribute.ValueStart, attribute.ValueLength);
        if (!attribute.HasReferences)
        {
            return value;
        }

        _scratch.Clear();
        AppendDecoded(value, _scratch, attribute.ValueStart);
        return _scratch.Span;
    }

    /// <summary>The namespace a prefix names on the current element, or null where it is not declared.</summary>
    private byte[]? NamespaceOf(ReadOnlySpan<byte> prefix)
    {
        // The element's own declarations first: an empty element's scope has already closed.
        foreach (var attribute in _attributes)
        {
            if (IsDeclaration(attribute) && DeclaredPrefix(attribute).SequenceEqual(prefix))
            {
                return DeclaredNamespace(attribute).ToArray();
            }
        }

        for (var i = _scopes.Count - 1; i >= 0; i--)
        {
            if (_scopes[i].Prefix.AsSpan().SequenceEqual(prefix))
            {
                return _scopes[i].Namespace;
            }
        }

        return null;
    }

    private bool ResolvesToMain(ReadOnlySpan<byte> prefix, int at)
    {
        for (var i = _scopes.Count - 1; i >= 0; i--)
        {
            if (_scopes[i].Prefix.AsSpan().SequenceEqual(prefix))
            {
                return _scopes[i].IsMain;
            }
        }

        throw Damaged($"the prefix '{Printable(prefix)}' is not declared", at);
    }

    /// <summary>Makes sure <paramref name="count"/> bytes from <paramref name="start"/> are in the buffer; moves <see cref="_position"/> with the data.</summary>
    private bool EnsureBytes(int start, int count)
    {
        while (_length - start < count)
        {
            var offset = _position - start;
            if (!Fill(start))
            {
                return false;
            }

            start = _position - offset;
        }

        return true;
    }

    /// <summary>
    /// Reads more of the part, keeping the bytes from <paramref name="keepFrom"/> on (moved to the buffer's start, with
    /// <see cref="_position"/> set to where they now start). False at the end of the part.
    /// </summary>
    private bool Fill(int keepFrom)
    {
        if (_endOfStream)
        {
            return false;
        }

        if (keepFrom > 0)
        {
            var discarded = _buffer.AsSpan(0, keepFrom);
            var lines = discarded.Count((byte)'\n');
            if (lines > 0)
            {
                _lineOfBuffer += lines;
                _lineStartBeforeBuffer = _offsetOfBuffer + discarded.LastIndexOf((byte)'\n') + 1;
            }

            _offsetOfBuffer += keepFrom;
            _buffer.AsSpan(keepFrom, _length - keepFrom).CopyTo(_buffer);
            _length -= keepFrom;
        }

        _position = 0;
        if (_length == _buffer.Length)
        {
            if (_buffer.Length >= MaxTokenBytes)
            {
                throw Damaged("it holds a tag or text too long for a cell");
            }

            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        var read = _stream.Read(_buffer, _length, _buffer.Length - _length);
        if (read == 0)
        {
            _endOfStream = true;
            return false;
        }

        _length += read;
        return true;
    }

    private static bool IsWhitespace(byte value) => value is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private XmlException Damaged(string reason) => Damaged(reason, Math.Min(_position, _length));

    /// <summary>An XmlException, as an XmlReader would throw, with the line and position (in bytes) of the damage.</summary>
    private XmlException Damaged(string reason, int indexInBuffer)
    {
        var before = _buffer.AsSpan(0, Math.Clamp(indexInBuffer, 0, _length));
        var lines = before.Count((byte)'\n');
        var line = _lineOfBuffer + lines;
        var lineStart = lines > 0 ? _offsetOfBuffer + before.LastIndexOf((byte)'\n') + 1 : _lineStartBeforeBuffer;
        var position = _offsetOfBuffer + before.Length - lineStart + 1;
        return new XlsxMarkupException(reason, PartName, (int)Math.Min(line, int.MaxValue), (int)Math.Min(position, int.MaxValue));
    }

    private readonly record struct Attribute(int NameStart, int NameLength, int PrefixLength, int ValueStart, int ValueLength, bool HasReferences);
}

/// <summary>Damaged XML in a part, as an XmlReader would report it, with the reason in words a message can carry.</summary>
internal sealed class XlsxMarkupException(string reason, string partName, int line, int position)
    : XmlException($"{char.ToUpperInvariant(reason[0])}{reason[1..]}.", null, line, position)
{
    /// <summary>What is wrong, starting in lower case: "the part ends inside an element".</summary>
    public string Reason { get; } = reason;

    public string PartName { get; } = partName;
}

/// <summary>A reusable, growable run of UTF-8 text.</summary>
internal sealed class Utf8Text
{
    private byte[] _bytes = new byte[256];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void Append(byte value)
    {
        if (Length == _bytes.Length)
        {
            Array.Resize(ref _bytes, _bytes.Length * 2);
        }

        _bytes[Length++] = value;
    }

    public void Append(ReadOnlySpan<byte> text)
    {
        if (Length + text.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + text.Length));
        }

        text.CopyTo(_bytes.AsSpan(Length));
        Length += text.Length;
    }

    public override string ToString() => XlsxPartReader.ToText(Span);
}
