using System.Text.Json;
using Moonflow.Domain.Common;

namespace Moonflow.Api.Infrastructure;

/// <summary>Enums travel as snake_case strings (<c>completed_with_errors</c>); query strings accept the same spelling.</summary>
internal static class QueryEnum
{
    public static T? Parse<T>(string? value, string field)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        foreach (var candidate in Enum.GetValues<T>())
        {
            var name = candidate.ToString();
            if (string.Equals(value, name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(value, JsonNamingPolicy.SnakeCaseLower.ConvertName(name), StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        throw Invalid<T>(value, field);
    }

    /// <summary>Several values, as repeated parameters (<c>status=read&amp;status=sent</c>) or comma-separated.</summary>
    public static IReadOnlyList<T>? ParseMany<T>(string[]? values, string field)
        where T : struct, Enum
    {
        var parts = SplitList(values);
        return parts is null ? null : parts.Select(v => Parse<T>(v, field)!.Value).Distinct().ToList();
    }

    public static IReadOnlyList<string>? SplitList(string[]? values)
    {
        var parts = values?.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        return parts is { Count: > 0 } ? parts : null;
    }

    private static DomainValidationException Invalid<T>(string value, string field)
        where T : struct, Enum
    {
        var allowed = string.Join(", ", Enum.GetValues<T>().Select(v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString())));
        return new DomainValidationException(field, $"'{value}' is not a valid {field}; use one of: {allowed}.");
    }
}
