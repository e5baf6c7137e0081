using System.Globalization;
using System.Text;

namespace Moonflow.Application.Processes.Uploads;

/// <summary>
/// A column of an import's format: its stable key, its header in both languages, whether every row needs it, and what
/// the template says of it (description, the values it accepts, an example).
/// </summary>
public sealed record ImportColumn(
    string Key, string HeaderEn, string HeaderEs, bool Required, string DescriptionEn, string DescriptionEs, IReadOnlyList<string>? AllowedValues, string Example);

/// <summary>
/// Matches an upload's header row to an import's columns. Headers match in Spanish or English (or by key), ignoring
/// case, accents, spaces, dashes, underscores and dots, so "NUMERO DE DOCUMENTO" and "document_number" both find
/// <c>DocumentNumber</c>.
/// </summary>
public static class ImportHeaders
{
    /// <summary>Column key → position in the row, for the headers that name a column (the first one wins when two do).</summary>
    public static Dictionary<string, int> Map(IReadOnlyList<ImportColumn> columns, IReadOnlyList<string?> headers)
    {
        var byHeader = new Dictionary<string, ImportColumn>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            byHeader.TryAdd(ImportText.Normalize(column.HeaderEs), column);
            byHeader.TryAdd(ImportText.Normalize(column.HeaderEn), column);
            byHeader.TryAdd(ImportText.Normalize(column.Key), column);
        }

        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < headers.Count; i++)
        {
            if (byHeader.TryGetValue(ImportText.Normalize(headers[i]), out var column))
            {
                map.TryAdd(column.Key, i);
            }
        }

        return map;
    }

    /// <summary>The required columns the header row lacks.</summary>
    public static IReadOnlyList<ImportColumn> Missing(IReadOnlyList<ImportColumn> columns, IReadOnlyDictionary<string, int> map) =>
        columns.Where(c => c.Required && !map.ContainsKey(c.Key)).ToList();

    /// <summary>The headers of the row that name none of the import's columns (blank ones aside), as written.</summary>
    public static IReadOnlyList<string> Unexpected(IReadOnlyDictionary<string, int> map, IReadOnlyList<string?> headers)
    {
        var used = map.Values.ToHashSet();
        return headers.Select((h, i) => (Header: h, Index: i))
            .Where(h => !string.IsNullOrWhiteSpace(h.Header) && !used.Contains(h.Index))
            .Select(h => h.Header!.Trim())
            .ToList();
    }

    /// <summary>The sentence a 400 gives when an import takes exactly its columns and the header row differs.</summary>
    public static string DescribeExact(IReadOnlyList<ImportColumn> columns, IReadOnlyList<ImportColumn> missing, IReadOnlyList<string> unexpected)
    {
        var expected = string.Join(", ", columns.Select(c => c.HeaderEs == c.HeaderEn ? c.HeaderEn : $"{c.HeaderEs} ({c.HeaderEn})"));
        var parts = new List<string> { $"The headers must be exactly the columns chosen: {expected}." };
        if (missing.Count > 0)
        {
            parts.Add($"Missing: {string.Join(", ", missing.Select(c => c.HeaderEs))}.");
        }

        if (unexpected.Count > 0)
        {
            parts.Add($"Not chosen: {string.Join(", ", unexpected)}.");
        }

        parts.Add("Download the format with the same choices.");
        return string.Join(" ", parts);
    }

    /// <summary>The sentence a 400 gives for missing columns: each named in both languages.</summary>
    public static string DescribeMissing(IReadOnlyList<ImportColumn> missing) =>
        $"The file lacks required columns: {string.Join(", ", missing.Select(c => $"{c.HeaderEs} ({c.HeaderEn})"))}. Download the template to see them.";
}

/// <summary>How uploads compare text: headers and enumerated values alike.</summary>
public static class ImportText
{
    /// <summary>Lower case, no accents, no spaces, dashes, underscores or dots: "Número de documento" → "numerodedocumento".</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Trim().Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && !IsIgnored(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    internal static bool IsIgnored(char c) => char.IsWhiteSpace(c) || c is '-' or '_' or '.';
}

/// <summary>
/// The words an enumerated column accepts for each value ("Correo", "email" and "mail" are all the e-mail channel),
/// compared as <see cref="ImportText.Normalize"/> writes them. Built once per import; looked up for every row.
/// </summary>
public sealed class Synonyms<T>
{
    /// <summary>Longest value compared; longer text matches nothing.</summary>
    private const int MaxLength = 64;

    private readonly Dictionary<string, T> _values;
    private readonly Dictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public Synonyms(params (T Value, string[] Names)[] entries)
    {
        _values = entries.SelectMany(e => e.Names.Select(n => (Name: ImportText.Normalize(n), e.Value)))
            .ToDictionary(x => x.Name, x => x.Value, StringComparer.Ordinal);
        _lookup = _values.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// Looks a value up. Only text beyond ASCII can carry accents, so the usual plain values ("Whatsapp", "Delivered")
    /// are folded in place, without Unicode normalization or a new string.
    /// </summary>
    public bool TryMatch(string text, out T value)
    {
        if (!Ascii.IsValid(text))
        {
            return _values.TryGetValue(ImportText.Normalize(text), out value!);
        }

        Span<char> key = stackalloc char[MaxLength];
        var length = 0;
        foreach (var c in text)
        {
            if (ImportText.IsIgnored(c))
            {
                continue;
            }

            if (length == MaxLength)
            {
                value = default!;
                return false;
            }

            key[length++] = char.ToLowerInvariant(c);
        }

        return _lookup.TryGetValue(key[..length], out value!);
    }
}
