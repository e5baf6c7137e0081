using System.Text.Json;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Common.Time;
using Moonflow.Application.Common.Trays;
using Moonflow.Application.Identity.Preferences;
using Moonflow.Domain.Common;
using Moonflow.Domain.Exports;

namespace Moonflow.Application.Exports;

/// <summary>
/// Gathers what the download rules need (policy, the tenant's calendar and nightly window, row estimate, the tray's pending and deferred
/// exports) and lets the <see cref="ExportRequest"/> aggregate decide. Preview and request share it, so the
/// preview answers exactly what the request would.
/// </summary>
public sealed class ExportPlanner(
    IEnumerable<ITraySource> trays, IExportRequestRepository exports, TenantCalendar calendar, IUserPreferences preferences,
    ICurrentUser user, IOptions<ExportOptions> options)
{
    public async Task<(ExportRequest Export, ITraySource Source, object Filters)> PlanAsync(
        ExportParameters request, bool lockTray, CancellationToken cancellationToken)
    {
        var source = trays.For(request.Tray) ?? throw new DomainValidationException("tray", $"Unknown tray '{request.Tray}'; see GET /api/v1/exports/trays.");
        var asked = source.BindFilters(request.Filters);
        var filters = source.RowsVisibleTo(user, asked);
        var columns = request.Columns is { Count: > 0 } chosen ? chosen : await DefaultColumnsAsync(source, cancellationToken);
        var unknown = source.UnknownColumns(columns);
        if (unknown.Count > 0)
        {
            throw new DomainValidationException("columns", $"Unknown columns for the {source.Tray} tray: {string.Join(", ", unknown)}.");
        }

        var day = await calendar.DayAsync(cancellationToken);
        var zone = await calendar.ZoneAsync(cancellationToken);
        var policy = options.Value.PolicyFor(source.Tray);

        // The range is checked before counting: a 10-year count is wasted work for a request that is refused anyway.
        var demand = new ExportDemand(
            user.TenantId, user.ActorId, request.From, request.To, request.Format, columns,
            !ReferenceEquals(filters, asked) ? TrayFilters.Write(filters) : request.Filters is { ValueKind: JsonValueKind.Object } given ? given.GetRawText() : "{}");
        if (new ExportRangeMustFitTrayRule(policy, request.From, request.To) is var range && range.IsBroken())
        {
            throw new BusinessRuleValidationException(range);
        }

        if (lockTray)
        {
            await exports.LockTrayAsync(source.Tray, cancellationToken);
        }

        var estimate = await source.CountAsync(new TrayRange(request.From, request.To, zone), filters, cancellationToken);
        var circumstances = new ExportCircumstances(
            policy, day, estimate, await exports.FindPendingAsync(source.Tray, cancellationToken),
            await exports.FindDeferredOnAsync(source.Tray, day.Today, cancellationToken));
        return (ExportRequest.Request(demand, circumstances), source, filters);
    }

    private async Task<IReadOnlyList<string>> DefaultColumnsAsync(ITraySource source, CancellationToken cancellationToken)
    {
        // A user's saved columns for a tray are also what they download by default.
        var catalog = new SourceCatalog(source);
        return await preferences.ColumnsAsync(user, catalog, cancellationToken);
    }

    private sealed class SourceCatalog(ITraySource source) : IColumnCatalog
    {
        public string Tray => source.Tray;

        public IReadOnlyList<TrayColumn> Columns => source.Columns;
    }
}

/// <summary>A download as asked: tray, calendar-day range in the tenant's zone, format, columns, filters.</summary>
public sealed record ExportParameters(string Tray, DateOnly From, DateOnly To, ExportFormat Format, IReadOnlyList<string>? Columns, JsonElement? Filters);
