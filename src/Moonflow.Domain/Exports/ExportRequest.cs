using Moonflow.Domain.Common;

namespace Moonflow.Domain.Exports;

/// <summary>
/// A download of a tray. It owns the download rules: the range fits the tray, one request per tray at a time,
/// one deferred download per tray per tenant day, and online only within the tray's limits.
/// </summary>
public sealed class ExportRequest : AggregateRoot, ITenantOwned
{
    private List<string> _columns = [];

    private ExportRequest()
    {
        Tray = Filters = Reason = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Tray { get; private set; }

    public DateOnly From { get; private set; }

    public DateOnly To { get; private set; }

    public ExportFormat Format { get; private set; }

    public IReadOnlyList<string> Columns => _columns;

    /// <summary>The tray's other filters, as requested (JSON).</summary>
    public string Filters { get; private set; }

    public ExportMode Mode { get; private set; }

    public string Reason { get; private set; }

    public long EstimatedRows { get; private set; }

    /// <summary>When a deferred export runs (the tenant's next nightly window); null for online ones.</summary>
    public DateTimeOffset? ScheduledFor { get; private set; }

    /// <summary>The tenant's calendar day of the request: the day the deferred quota counts against.</summary>
    public DateOnly LocalDay { get; private set; }

    public Guid RequestedBy { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    public Guid ProcessId { get; private set; }

    public ExportStatus Status { get; private set; }

    public long? RowCount { get; private set; }

    public Guid? FileId { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public static ExportRequest Request(ExportDemand demand, ExportCircumstances now)
    {
        CheckRule(new ExportRangeMustFitTrayRule(now.Policy, demand.From, demand.To));
        CheckRule(new OneActiveExportPerTrayRule(now.Policy.Tray, now.ActiveExport));
        var (mode, reason) = now.Policy.Decide(demand.From, demand.To, now.EstimatedRows);
        if (mode == ExportMode.Deferred)
        {
            CheckRule(new OneDeferredExportPerTrayPerDayRule(now.Policy.Tray, now.DeferredToday, now.Calendar.NextDayStartsAt));
        }

        var export = new ExportRequest
        {
            Id = Guid.CreateVersion7(now.Calendar.Now),
            TenantId = demand.TenantId,
            Tray = now.Policy.Tray,
            From = demand.From,
            To = demand.To,
            Format = demand.Format,
            Filters = demand.Filters,
            Mode = mode,
            Reason = reason,
            EstimatedRows = now.EstimatedRows,
            ScheduledFor = mode == ExportMode.Deferred ? now.Calendar.NextNightlyWindow : null,
            LocalDay = now.Calendar.Today,
            RequestedBy = demand.RequestedBy,
            RequestedAt = now.Calendar.Now,
            Status = ExportStatus.Pending,
        };
        export._columns = demand.Columns.ToList();
        return export;
    }

    /// <summary>The process that runs this export in the log.</summary>
    public void TrackWith(Guid processId) => ProcessId = processId;

    public void Complete(long rowCount, Guid fileId, DateTimeOffset now)
    {
        CheckRule(new ExportMustBePendingRule(this));
        Status = ExportStatus.Completed;
        RowCount = rowCount;
        FileId = fileId;
        FinishedAt = now;
    }

    /// <summary>Its process ended without a file (failed or cancelled): the tray is free again.</summary>
    public void End(ExportStatus status, DateTimeOffset now)
    {
        if (status is not (ExportStatus.Failed or ExportStatus.Cancelled))
        {
            throw new DomainValidationException(nameof(status), "An export ends without a file only as failed or cancelled.");
        }

        if (Status == ExportStatus.Pending)
        {
            Status = status;
            FinishedAt = now;
        }
    }

    /// <summary>
    /// The tenant moved its nightly window or its time zone: a deferred export still waiting for its window runs in
    /// the next window as it is now, since the user asked for "the nightly window", not for a fixed instant.
    /// </summary>
    public void FollowNightlyWindow(TenantDay calendar)
    {
        CheckRule(new ExportMustBePendingRule(this));
        if (Mode != ExportMode.Deferred)
        {
            throw new DomainValidationException(nameof(Mode), "Only a deferred export waits for the nightly window.");
        }

        ScheduledFor = calendar.NextNightlyWindow;
    }

    /// <summary>An operator runs a deferred export before its window.</summary>
    public void RunNow(DateTimeOffset now)
    {
        CheckRule(new ExportMustBePendingRule(this));
        if (Mode == ExportMode.Deferred && (ScheduledFor is null || ScheduledFor > now))
        {
            ScheduledFor = now;
        }
    }
}

/// <summary>What the caller asked for.</summary>
public sealed record ExportDemand(
    Guid TenantId, Guid RequestedBy, DateOnly From, DateOnly To, ExportFormat Format, IReadOnlyList<string> Columns, string Filters);

/// <summary>What the rules need to know about the moment of the request.</summary>
public sealed record ExportCircumstances(
    TrayPolicy Policy, TenantDay Calendar, long EstimatedRows, ExportRequest? ActiveExport, ExportRequest? DeferredToday);

/// <summary>The tenant's calendar at a moment: its local day, its next midnight and its next nightly window.</summary>
public sealed record TenantDay(DateTimeOffset Now, DateOnly Today, DateTimeOffset NextDayStartsAt, DateTimeOffset NextNightlyWindow)
{
    public static TenantDay At(DateTimeOffset now, TimeZoneInfo zone, TimeOnly nightlyWindow)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var today = DateOnly.FromDateTime(local.DateTime);
        var window = Instant(today.ToDateTime(nightlyWindow), zone);
        if (window <= now)
        {
            window = Instant(today.AddDays(1).ToDateTime(nightlyWindow), zone);
        }

        return new TenantDay(now, today, Instant(today.AddDays(1).ToDateTime(TimeOnly.MinValue), zone), window);
    }

    /// <summary>A local wall-clock time as an instant in UTC (a time skipped by a clock change takes the standard offset).</summary>
    public static DateTimeOffset Instant(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var offset = zone.IsInvalidTime(unspecified) ? zone.BaseUtcOffset : zone.GetUtcOffset(unspecified);
        return new DateTimeOffset(unspecified, offset).ToUniversalTime();
    }
}
