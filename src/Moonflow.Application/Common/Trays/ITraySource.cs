using System.Text.Json;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Domain.Common;

namespace Moonflow.Application.Common.Trays;

/// <summary>
/// A tray that can be downloaded: its columns and filters, how many rows a request matches, and the rows
/// themselves as a stream (never a list). Modules provide one per tray; the Exports module only sees this.
/// </summary>
public interface ITraySource
{
    string Tray { get; }

    IReadOnlyList<TrayColumn> Columns { get; }

    /// <summary>The filters the tray accepts in a download's <c>filters</c> object, with what each does.</summary>
    IReadOnlyDictionary<string, string> Filters { get; }

    /// <summary>Checks and binds the <c>filters</c> object (unknown or malformed filters → a validation error).</summary>
    object BindFilters(JsonElement? filters);

    Task<long> CountAsync(TrayRange range, object filters, CancellationToken cancellationToken);

    /// <summary>The matching rows, one value per requested column (enums as their API names, instants in the tenant's local time).</summary>
    IAsyncEnumerable<object?[]> ReadAsync(TrayRange range, object filters, IReadOnlyList<string> columns, CancellationToken cancellationToken);
}

/// <summary>A download's date range: calendar days in the tenant's zone, and the instants they span.</summary>
public sealed record TrayRange(DateOnly From, DateOnly To, TimeZoneInfo Zone)
{
    public DateTimeOffset Start => Domain.Exports.TenantDay.Instant(From.ToDateTime(TimeOnly.MinValue), Zone);

    public DateTimeOffset End => Domain.Exports.TenantDay.Instant(To.AddDays(1).ToDateTime(TimeOnly.MinValue), Zone);
}

public static class TrayFilters
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>Enum values are few and cells are many: each name is converted once.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Enum, string> ApiNames = new();

    /// <summary>Binds a filters object strictly: an unknown filter is an error, not something silently ignored.</summary>
    public static T Bind<T>(JsonElement? filters, T empty)
    {
        if (filters is not { ValueKind: JsonValueKind.Object } value)
        {
            return filters is null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }
                ? empty
                : throw new DomainValidationException("filters", "'filters' must be an object.");
        }

        try
        {
            return value.Deserialize<T>(Options) ?? empty;
        }
        catch (JsonException ex)
        {
            throw new DomainValidationException("filters", $"The filters are not valid: {ex.Message}");
        }
    }

    /// <summary>A value as a cell: enums by their API name, instants in the tenant's local time, lists joined.</summary>
    public static object? Cell(object? value, TimeZoneInfo zone) => value switch
    {
        null => null,
        Enum e => ApiNames.GetOrAdd(e, static e => JsonNamingPolicy.SnakeCaseLower.ConvertName(e.ToString())),
        DateTimeOffset instant => TimeZoneInfo.ConvertTime(instant, zone),
        IEnumerable<string> list => string.Join("; ", list),
        _ => value,
    };

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        };
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        return options;
    }
}

public static class TraySourceExtensions
{
    public static ITraySource? For(this IEnumerable<ITraySource> sources, string tray) =>
        sources.FirstOrDefault(s => string.Equals(s.Tray, tray, StringComparison.Ordinal));

    public static IReadOnlyList<string> UnknownColumns(this ITraySource source, IEnumerable<string> columns) =>
        columns.Where(c => source.Columns.All(k => k.Key != c)).ToList();
}
