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

        var allowed = string.Join(", ", Enum.GetValues<T>().Select(v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString())));
        throw new DomainValidationException(field, $"'{value}' is not a valid {field}; use one of: {allowed}.");
    }
}
