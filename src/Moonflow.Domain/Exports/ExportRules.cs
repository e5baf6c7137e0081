using Moonflow.Domain.Common;

namespace Moonflow.Domain.Exports;

public sealed class ExportRangeMustFitTrayRule(TrayPolicy policy, DateOnly from, DateOnly to) : IRequestRule
{
    public string Code => "range_too_long";

    public ErrorText Message =>
        $"The range covers {TrayPolicy.DaysIn(from, to)} days; the {policy.Tray} tray can be downloaded for at most {policy.DeferredMaxDays} days at a time.";

    public bool IsBroken() => TrayPolicy.DaysIn(from, to) > Math.Min(policy.DeferredMaxDays, TrayPolicy.AbsoluteMaxDays);
}

/// <summary>One request per tray at a time: while one is pending, another is refused, naming it.</summary>
public sealed class OneActiveExportPerTrayRule(string tray, ExportRequest? active) : IBusinessRule, IRuleDetails
{
    public string Code => "export_in_progress";

    public ErrorText Message =>
        $"A download of the {tray} tray is already in progress (export {active?.Id}, requested {active?.RequestedAt:u}); wait until it finishes.";

    public IReadOnlyDictionary<string, object?> Details => new Dictionary<string, object?>
    {
        ["activeExportId"] = active?.Id,
        ["activeProcessId"] = active?.ProcessId,
    };

    public bool IsBroken() => active is not null;
}

/// <summary>One deferred download per tray per tenant calendar day; the next is allowed from the next local midnight.</summary>
public sealed class OneDeferredExportPerTrayPerDayRule(string tray, ExportRequest? deferredToday, DateTimeOffset nextDayStartsAt) : IQuotaRule, IRuleDetails
{
    public string Code => "deferred_quota_exceeded";

    public ErrorText Message =>
        $"The {tray} tray was already scheduled for a deferred download today (export {deferredToday?.Id}); the next is allowed from {nextDayStartsAt:yyyy-MM-dd HH:mm zzz}.";

    public DateTimeOffset? RetryAt => nextDayStartsAt;

    public IReadOnlyDictionary<string, object?> Details => new Dictionary<string, object?> { ["existingExportId"] = deferredToday?.Id };

    public bool IsBroken() => deferredToday is not null;
}

public sealed class ExportMustBePendingRule(ExportRequest export) : IBusinessRule
{
    public string Code => "export_not_pending";

    public ErrorText Message => $"Export {export.Id} is {export.Status}.";

    public bool IsBroken() => export.Status != ExportStatus.Pending;
}
