using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Common.Trays;
using Moonflow.Application.Processes.Execution;
using Moonflow.Domain.Processes;

namespace Moonflow.Api.Tests.Platform;

/// <summary>
/// What the started API has registered is complete: derived from the registrations themselves, so that a new process
/// type or tray is covered the day it is added.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RegistrationTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task Executors_WhenTheApiStarts_AreExactlyOnePerProcessType()
    {
        await using var scope = await api.TenantScopeAsync("demo");
        var executors = scope.ServiceProvider.GetServices<IBulkActionExecutor>().ToList();

        Assert.True(Enum.GetValues<ProcessType>().Length >= 4 && executors.Count >= 4, "Too few process types or executors; the check would pass vacuously.");
        var offenders = Enum.GetValues<ProcessType>()
            .Select(type => (Type: type, Executors: executors.Where(e => e.Type == type).Select(e => e.GetType().Name).ToList()))
            .Where(t => t.Executors.Count != 1)
            .Select(t => $"{t.Type}: {(t.Executors.Count == 0 ? "no executor" : string.Join(", ", t.Executors))}");
        Assert.True(!offenders.Any(), $"Every process type needs exactly one executor: {string.Join("; ", offenders)}");
    }

    [Fact]
    public async Task Trays_WhenTheApiStarts_EachHasOneSourceAColumnCatalogAndFilesWithEveryColumnAndFilter()
    {
        await using var scope = await api.TenantScopeAsync("demo");
        var trays = scope.ServiceProvider.GetServices<TrayDefinition>().ToList();
        var sources = scope.ServiceProvider.GetServices<ITraySource>().ToList();
        var catalogs = scope.ServiceProvider.GetServices<IColumnCatalog>().ToList();
        var writer = scope.ServiceProvider.GetRequiredService<ITrayFileWriter>();

        Assert.True(trays.Count >= 3, "Too few trays registered; the check would pass vacuously.");
        Assert.Equal(trays.Select(t => t.Tray).Order(), sources.Select(s => s.Tray).Order());
        Assert.Equal(trays.Select(t => t.Tray).Order(), catalogs.Select(c => c.Tray).Order());
        foreach (var tray in trays)
        {
            // Every column and every filter at once: the SQL translates, PostgreSQL accepts it, and it counts alike.
            var source = sources.Single(s => s.Tray == tray.Tray);
            var filters = source.BindFilters(JsonSerializer.SerializeToElement(SampleFilters(tray)));
            var range = new TrayRange(new DateOnly(2020, 1, 1), new DateOnly(2020, 1, 31), TimeZoneInfo.FindSystemTimeZoneById("America/Bogota"));
            var counted = await source.CountAsync(range, filters, CancellationToken.None);
            foreach (var format in Enum.GetValues<SpreadsheetFormat>())
            {
                using var output = new MemoryStream();
                var written = await writer.WriteAsync(output, new TrayFile(tray.Tray, scope.TenantId, range, filters, tray.Columns, format), null, CancellationToken.None);
                Assert.True(written == counted && output.Length > 0, $"{tray.Tray} {format}: wrote {written} rows ({output.Length} bytes), counted {counted}");
            }
        }
    }

    /// <summary>A value for every filter a download takes, of the filter's own type.</summary>
    private static JsonObject SampleFilters(TrayDefinition tray)
    {
        var filters = new JsonObject();
        foreach (var filter in tray.Filters.Where(f => f.InDownloads))
        {
            var type = Nullable.GetUnderlyingType(filter.ValueType) ?? filter.ValueType;
            var element = type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0] : null;
            filters[filter.Name] = element is null ? Sample(type) : new JsonArray(Sample(element));
        }

        return filters;
    }

    private static JsonNode Sample(Type type) => type switch
    {
        _ when type.IsEnum => JsonValue.Create(TrayFilters.ApiName((Enum)Enum.GetValues(type).GetValue(0)!)),
        _ when type == typeof(Guid) => JsonValue.Create(Guid.CreateVersion7()),
        _ when type == typeof(string) => JsonValue.Create("sample"),
        _ when type == typeof(DateOnly) => JsonValue.Create("2020-01-15"),
        _ when type == typeof(DateTimeOffset) => JsonValue.Create("2020-01-15T10:00:00-05:00"),
        _ when type == typeof(int) => JsonValue.Create(3),
        _ when type == typeof(bool) => JsonValue.Create(true),
        _ => throw new NotSupportedException($"No sample value of {type.Name}; add one."),
    };
}
