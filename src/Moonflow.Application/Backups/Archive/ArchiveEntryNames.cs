using System.Text;

namespace Moonflow.Application.Backups.Archive;

/// <summary>
/// Names of a backup's entries, safe to unpack anywhere: each path segment without <c>..</c>, separators, characters Windows
/// refuses (<c>&lt;&gt;:"/\|?*</c>, control characters), a trailing dot or space, or a reserved device name (CON, PRN, AUX, NUL,
/// COM1–9, LPT1–9), and at most 255 bytes of UTF-8; a file name unique within its folder, ignoring case as Windows and macOS do
/// (<c>name (2).ext</c>, …). The archive is always relative: there is no way to name an absolute path.
/// </summary>
public sealed class ArchiveEntryNames
{
    public const int MaxSegmentBytes = 255;

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
    };

    private readonly Dictionary<string, HashSet<string>> _taken = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The path an entry gets: its folder's segments made safe, then its file name made safe and unique in that folder.</summary>
    public string Reserve(string folder, string fileName)
    {
        var segments = (folder ?? string.Empty).Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries).Select(Segment).ToList();
        var folderPath = string.Join('/', segments);
        if (!_taken.TryGetValue(folderPath, out var names))
        {
            _taken[folderPath] = names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        }

        var name = Segment(fileName);
        var unique = name;
        for (var n = 2; !names.Add(unique); n++)
        {
            unique = WithSuffix(name, $" ({n})");
        }

        return folderPath.Length == 0 ? unique : $"{folderPath}/{unique}";
    }

    /// <summary>One path segment made safe (see the class); never empty, never <c>.</c> or <c>..</c>.</summary>
    public static string Segment(string? name)
    {
        var text = (name ?? string.Empty).Normalize(NormalizationForm.FormC);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) || c is '<' or '>' or ':' or '"' or '/' or '\\' or '|' or '?' or '*' ? '_' : c);
        }

        var safe = builder.ToString().Trim().TrimEnd('.', ' ');
        if (safe.Length == 0 || safe.All(c => c == '.'))
        {
            safe = "_";
        }

        var stem = safe.Split('.')[0].TrimEnd(' ');
        if (Reserved.Contains(stem))
        {
            safe = "_" + safe;
        }

        return Fit(safe, string.Empty);
    }

    /// <summary>The name with a suffix before its extension, shortened so the whole stays within the byte limit.</summary>
    private static string WithSuffix(string name, string suffix) => Fit(name, suffix);

    private static string Fit(string name, string suffix)
    {
        var dot = name.LastIndexOf('.');
        var (stem, extension) = dot > 0 && name.Length - dot <= 16 ? (name[..dot], name[dot..]) : (name, string.Empty);
        var room = MaxSegmentBytes - Encoding.UTF8.GetByteCount(suffix) - Encoding.UTF8.GetByteCount(extension);
        if (Encoding.UTF8.GetByteCount(stem) > room)
        {
            stem = Cut(stem, room).TrimEnd('.', ' ');
            if (stem.Length == 0)
            {
                stem = "_";
            }
        }

        return stem + suffix + extension;
    }

    /// <summary>The longest prefix of whole characters (surrogate pairs kept together) within <paramref name="maxBytes"/> of UTF-8.</summary>
    private static string Cut(string text, int maxBytes)
    {
        var bytes = 0;
        var i = 0;
        while (i < text.Length)
        {
            var length = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(i, length));
            if (bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            i += length;
        }

        return text[..i];
    }

    /// <summary>Content already compressed (stored as is: deflating it again costs time and saves nothing), by its extension.</summary>
    public static bool IsCompressed(string fileName) =>
        Path.GetExtension(fileName).ToLowerInvariant() is ".pdf" or ".jpg" or ".jpeg" or ".png" or ".gif" or ".webp" or ".zip" or ".gz" or ".7z"
            or ".docx" or ".xlsx" or ".pptx" or ".odt" or ".ods" or ".mp3" or ".mp4" or ".heic";
}
