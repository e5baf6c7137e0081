using System.Text.Json;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Domain.Common;

namespace Moonflow.Application.Common.Trays;

/// <summary>
/// A tray that can be downloaded: its columns and filters and how many rows a request matches. Every
/// <see cref="TrayDefinition"/> is one (see <see cref="TraySource"/>); the Exports module only sees this. The rows
/// themselves stream from the database into the file through <see cref="ITrayFileWriter"/>.
/// </summary>
public interface ITraySource
{
    string Tray { get; }

    IReadOnlyList<TrayColumn> Columns { get; }

    /// <summary>The filters the tray accepts in a download's <c>filters</c> object, with what each does.</summary>
    IReadOnlyDictionary<string, string> Filters { get; }

    /// <summary>Checks and binds the <c>filters</c> object (unknown or malformed filters → a validation error).</summary>
    object BindFilters(JsonElement? filters);

    /// <summary>The bound filters narrowed to the rows the caller may see (see <see cref="TrayDefinition.RowsVisibleTo"/>).</summary>
    object RowsVisibleTo(ICurrentUser caller, object filters);

    Task<long> CountAsync(TrayRange range, object filters, CancellationToken cancellationToken);
}

/// <summary>
/// Writes a download's file straight from the database as the rows arrive, memory flat in row count. Each tray's
/// rows are the ones its <see cref="ITraySource"/> counts, from the same <see cref="TrayDefinition"/>: the same
/// range and filters, one value per chosen column, enums by their API names, instants in the tenant's local time.
/// </summary>
public interface ITrayFileWriter
{
    /// <param name="rowsWritten">Told the number of rows written so far, every few thousand rows; null when nobody watches.</param>
    Task<long> WriteAsync(Stream output, TrayFile file, IProgress<long>? rowsWritten, CancellationToken cancellationToken);
}

/// <summary>
/// What a download holds: one tenant's rows of a tray within a range, filtered, in the chosen columns, headed in
/// <paramref name="Language"/> (<c>es</c>, <c>en</c>; Spanish when null).
/// </summary>
public sealed record TrayFile(
    string Tray, Guid TenantId, TrayRange Range, object Filters, IReadOnlyList<TrayColumn> Columns, SpreadsheetFormat Format, string? Language = null);

/// <summary>A download's date range: calendar days in the tenant's zone, and the instants they span.</summary>
public sealed record TrayRange(DateOnly From, DateOnly To, TimeZoneInfo Zone)
{
    public DateTimeOffset Start => Domain.Exports.TenantDay.Instant(From.ToDateTime(TimeOnly.MinValue), Zone);

    public DateTimeOffset End => Domain.Exports.TenantDay.Instant(To.AddDays(1).ToDateTime(TimeOnly.MinValue), Zone);
}

public static class TrayFilters
{
    private static readonly JsonSerializerOptions Options = CreateOptions();
    private static readonly JsonSerializerOptions WriteOptions = new(Options) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

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

    /// <summary>Bound filters back as the JSON object <see cref="Bind"/> reads, the filters without a value left out.</summary>
    public static string Write(object filters) => JsonSerializer.Serialize(filters, filters.GetType(), WriteOptions);

    /// <summary>An enum value as the API spells it (and downloads show it): snake_case.</summary>
    public static string ApiName(Enum value) => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

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

/// <summary>A tray definition as a download source: counts run its conditions as LINQ through the read store.</summary>
public sealed class TraySource(TrayDefinition definition, IReadStore store) : ITraySource
{
    public string Tray => definition.Tray;

    public IReadOnlyList<TrayColumn> Columns => definition.Columns;

    public IReadOnlyDictionary<string, string> Filters { get; } = definition.DownloadFilters;

    public object BindFilters(JsonElement? filters) => definition.BindFilters(filters);

    public object RowsVisibleTo(ICurrentUser caller, object filters) => definition.RowsVisibleTo(caller, filters);

    public Task<long> CountAsync(TrayRange range, object filters, CancellationToken cancellationToken) =>
        definition.CountAsync(store, range, filters, cancellationToken);
}

public static class TraySourceExtensions
{
    public static ITraySource? For(this IEnumerable<ITraySource> sources, string tray) =>
        sources.FirstOrDefault(s => string.Equals(s.Tray, tray, StringComparison.Ordinal));

    public static IReadOnlyList<string> UnknownColumns(this ITraySource source, IEnumerable<string> columns) =>
        columns.Where(c => source.Columns.All(k => k.Key != c)).ToList();
}
