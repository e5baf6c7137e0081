using System.Globalization;
using System.IO.Compression;
using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// An uploaded xlsx's zip package, read from its file: its parts found through their relationships, each opened
/// through a guard that counts what it unpacks, so a part that unpacks past its limit, or far more than its packed
/// size (a zip bomb), stops the read while it unpacks. The sizes the zip declares are not trusted.
/// </summary>
/// <remarks>
/// Nothing is ever extracted to disk, so entry names matter only as names; still, a package with names that climb out
/// of a folder (zip slip) or with two entries of one name was built by no spreadsheet program, and is refused.
/// </remarks>
internal sealed class XlsxPackage : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly ByteCountingStream _file;
    private readonly Dictionary<string, ZipArchiveEntry> _entries;
    private readonly SpreadsheetLimits _limits;

    private XlsxPackage(ZipArchive zip, ByteCountingStream file, Dictionary<string, ZipArchiveEntry> entries, SpreadsheetLimits limits)
    {
        _zip = zip;
        _file = file;
        _entries = entries;
        _limits = limits;
    }

    public SpreadsheetLimits Limits => _limits;

    public static XlsxPackage Open(Stream content, SpreadsheetLimits limits)
    {
        var file = new ByteCountingStream(content);
        var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        try
        {
            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in zip.Entries)
            {
                var name = entry.FullName;
                if (IsUnsafe(name))
                {
                    throw XlsxRowReader.NotAWorkbook($"it holds an entry with an unsafe name ('{XlsxPartReader.Printable(name)}')");
                }

                // Part names are case-insensitive (OPC); which of two equal names a reader took would be a guess.
                if (!entries.TryAdd(name, entry))
                {
                    throw XlsxRowReader.NotAWorkbook($"it holds two entries named '{XlsxPartReader.Printable(name)}'");
                }
            }

            return new XlsxPackage(zip, file, entries, limits);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    public bool Contains(string partName) => _entries.ContainsKey(partName);

    /// <summary>Opens a part for reading, held to <paramref name="limit"/> and to the compression ratio.</summary>
    public XlsxPartReader OpenPart(string partName, XlsxPartLimit limit)
    {
        if (!_entries.TryGetValue(partName, out var entry))
        {
            throw XlsxRowReader.NotAWorkbook("it refers to parts that are missing");
        }

        var maxBytes = Math.Min(limit.MaxBytes, _limits.MaxEntryBytes);
        if (entry.Length > maxBytes)
        {
            throw limit.TooLarge(partName, maxBytes);
        }

        return XlsxPartReader.Open(() => new GuardedEntryStream(entry.Open(), _file, partName, entry.CompressedLength, maxBytes, limit, _limits.MaxCompressionRatio), partName);
    }

    /// <summary>
    /// The relationships of a part (or of the package, for an empty name) of the given kinds (…/worksheet, …/styles),
    /// in order, targets resolved to part names. Others (chart sheets, images…) are passed over without being kept.
    /// </summary>
    public IReadOnlyList<XlsxRelationship> Relationships(string sourcePartName, params string[] kinds)
    {
        var suffixes = kinds.Select(kind => System.Text.Encoding.ASCII.GetBytes("/" + kind)).ToArray();
        var folder = sourcePartName.LastIndexOf('/') is var slash and >= 0 ? sourcePartName[..(slash + 1)] : string.Empty;
        var relationshipsPart = $"{folder}_rels/{sourcePartName[folder.Length..]}.rels";
        if (!Contains(relationshipsPart))
        {
            return [];
        }

        var relationships = new List<XlsxRelationship>();
        using var reader = OpenPart(relationshipsPart, XlsxPartLimit.Relationships(_limits));
        while (reader.Read())
        {
            if (reader.Token != XlsxPartToken.StartElement || !reader.IsMain || reader.Depth != 1 || !reader.LocalName.SequenceEqual("Relationship"u8))
            {
                continue;
            }

            if (!reader.TryGetAttribute("Type"u8, out var typeValue) || !EndsWithAny(typeValue, suffixes))
            {
                continue;
            }

            var type = XlsxPartReader.ToText(typeValue);
            var id = reader.TryGetAttribute("Id"u8, out var idValue) ? XlsxPartReader.ToText(idValue) : string.Empty;
            var external = reader.TryGetAttribute("TargetMode"u8, out var mode) && mode.SequenceEqual("External"u8);
            var target = reader.TryGetAttribute("Target"u8, out var targetValue) ? XlsxPartReader.ToText(targetValue) : string.Empty;
            relationships.Add(new XlsxRelationship(id, type, target, external ? null : Resolve(folder, target)));
        }

        return relationships;
    }

    public void Dispose()
    {
        _zip.Dispose();
    }

    private static bool EndsWithAny(ReadOnlySpan<byte> text, byte[][] suffixes)
    {
        foreach (var suffix in suffixes)
        {
            if (text.EndsWith(suffix))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A relationship's target as a part name, or null when it leaves the package.</summary>
    private static string? Resolve(string folder, string target)
    {
        if (target.Length == 0)
        {
            return null;
        }

        string unescaped;
        try
        {
            unescaped = Uri.UnescapeDataString(target);
        }
        catch (UriFormatException)
        {
            return null;
        }

        var path = unescaped.StartsWith('/') ? unescaped[1..] : folder + unescaped;
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (segments.Count == 0)
                    {
                        return null;
                    }

                    segments.RemoveAt(segments.Count - 1);
                    continue;
                default:
                    segments.Add(segment);
                    continue;
            }
        }

        return string.Join('/', segments);
    }

    /// <summary>A name that, extracted, would land outside its folder: absolute, on a drive, or climbing with "..".</summary>
    private static bool IsUnsafe(string name) =>
        name.Length > 0
        && (name[0] is '/' or '\\' || (name.Length > 1 && name[1] == ':') || name.Contains('\0', StringComparison.Ordinal)
            || name.Split('/', '\\').Contains(".."));

    /// <summary>
    /// An entry's unpacked bytes, counted as they come: past the part's limit, or past the compression ratio measured
    /// against the packed bytes read for it so far, the read stops.
    /// </summary>
    private sealed class GuardedEntryStream(
        Stream inflated, ByteCountingStream file, string partName, long declaredCompressedBytes, long maxBytes, XlsxPartLimit limit, int maxRatio)
        : Stream
    {
        private long _inflated;
        private long _compressed;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _inflated;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var before = file.BytesRead;
            var read = inflated.Read(buffer);
            _compressed += file.BytesRead - before;
            _inflated += read;
            if (_inflated > maxBytes)
            {
                throw limit.TooLarge(partName, maxBytes);
            }

            // The packed bytes read so far run ahead of what they unpack to by at most the inflater's buffer, so a
            // real part is never held to more than its own ratio; a bomb shows its ratio within its first megabyte.
            var packed = Math.Max(1, Math.Min(_compressed, declaredCompressedBytes));
            if (_inflated > SpreadsheetLimits.CompressionRatioGraceBytes && _inflated > packed * maxRatio)
            {
                throw new SpreadsheetFormatException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The file is not a valid .xlsx workbook: its part '{partName}' unpacks to more than {maxRatio:N0} times its packed size, which no real workbook does; it may be damaged or built to overload the server. Save it again from Excel and upload it again."));
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inflated.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>The upload's file, counting the bytes read from it: the packed bytes an entry's inflater consumed.</summary>
    private sealed class ByteCountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            BytesRead += read;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>A relationship of a part: its id, its type (a URI) and its target, resolved to a part name (null if outside).</summary>
internal sealed record XlsxRelationship(string Id, string Type, string Target, string? PartName)
{
    /// <summary>Whether the type is <paramref name="kind"/> (…/worksheet, …/styles), in transitional or strict OOXML alike.</summary>
    public bool Is(string kind) => Type.EndsWith("/" + kind, StringComparison.Ordinal);
}

/// <summary>What a part may unpack to, and how to tell the user it is too large.</summary>
internal sealed record XlsxPartLimit(long MaxBytes, string What, string Advice)
{
    public static XlsxPartLimit Sheet(SpreadsheetLimits limits) =>
        new(limits.MaxEntryBytes, "The sheet", "Split it into smaller files and upload each.");

    public static XlsxPartLimit SharedStrings(SpreadsheetLimits limits) =>
        new(limits.MaxSharedStringsBytes, "The workbook's table of texts", "Split the sheet into smaller files and upload each.");

    public static XlsxPartLimit Workbook(SpreadsheetLimits limits) =>
        new(limits.MaxWorkbookBytes, "The workbook's description", "It may be damaged: save it again from Excel and upload it again.");

    public static XlsxPartLimit Relationships(SpreadsheetLimits limits) =>
        new(limits.MaxWorkbookBytes, "The workbook's list of parts", "It may be damaged: save it again from Excel and upload it again.");

    public static XlsxPartLimit Styles(SpreadsheetLimits limits) =>
        new(limits.MaxStylesBytes, "The workbook's formatting",
            "Copy the data into a new workbook (paste as values) and upload that one: it will not carry the unused formats.");

    public SpreadsheetFormatException TooLarge(string partName, long maxBytes) =>
        new($"{What} ({partName}) is too large: unpacked, it holds more than {Megabytes(maxBytes)}. {Advice}");

    private static string Megabytes(long bytes) => bytes >= 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):#,0.#} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:#,0.#} KB");
}
