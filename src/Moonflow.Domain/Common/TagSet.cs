namespace Moonflow.Domain.Common;

/// <summary>How tags are kept on any record: trimmed, lower-cased and distinct.</summary>
public static class TagSet
{
    public static List<string> Normalize(IEnumerable<string> tags, int maxTags, int maxLength)
    {
        var normalized = tags
            .Select(t => t?.Trim().ToLowerInvariant() ?? string.Empty)
            .Where(t => t.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (normalized.Any(t => t.Length > maxLength))
        {
            throw new DomainValidationException("tags", $"A tag must be at most {maxLength} characters.");
        }

        return normalized.Count > maxTags
            ? throw new DomainValidationException("tags", $"A record can have at most {maxTags} tags.")
            : normalized;
    }
}
