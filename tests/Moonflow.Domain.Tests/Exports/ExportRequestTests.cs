using Moonflow.Domain.Common;
using Moonflow.Domain.Exports;

namespace Moonflow.Domain.Tests.Exports;

public sealed class ExportRequestTests
{
    private static readonly TimeZoneInfo Bogota = TimeZoneInfo.FindSystemTimeZoneById("America/Bogota");
    private static readonly TrayPolicy Clients = new("clients", onlineAllowed: true, onlineMaxDays: 60, onlineMaxRows: 50_000, deferredMaxDays: 180);
    private static readonly TrayPolicy Interactions = new("interactions", onlineAllowed: false, onlineMaxDays: 0, onlineMaxRows: 0, deferredMaxDays: 45);
    private static readonly Guid Tenant = Guid.NewGuid();

    /// <summary>2026-11-23 10:00 in Bogota (UTC-5).</summary>
    private static readonly DateTimeOffset Morning = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Request_WhenRangeAndRowsAreWithinOnlineLimits_IsOnline()
    {
        var export = Request(Clients, 60, rows: 50_000, Morning);

        Assert.Equal(ExportMode.Online, export.Mode);
        Assert.Null(export.ScheduledFor);
        Assert.Equal(ExportStatus.Pending, export.Status);
    }

    [Fact]
    public void Request_WhenRangeExceedsTheOnlineDays_IsDeferredToTheNextNightlyWindow()
    {
        var export = Request(Clients, 61, rows: 10, Morning);

        Assert.Equal(ExportMode.Deferred, export.Mode);
        Assert.Contains("61 days", export.Reason);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 7, 0, 0, TimeSpan.Zero), export.ScheduledFor); // 02:00 Bogota
    }

    [Fact]
    public void Request_WhenRowsExceedTheOnlineLimit_IsDeferred()
    {
        var export = Request(Clients, 5, rows: 50_001, Morning);

        Assert.Equal(ExportMode.Deferred, export.Mode);
        Assert.Contains("50,001", export.Reason);
    }

    [Fact]
    public void Request_WhenTrayIsDeferredOnly_IsDeferredWhateverTheSize()
    {
        Assert.Equal(ExportMode.Deferred, Request(Interactions, 1, rows: 1, Morning).Mode);
    }

    [Fact]
    public void Request_BeforeTwoInTheMorningLocal_IsScheduledForTheSameNight()
    {
        var oneAm = new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero); // 01:00 Bogota

        var export = Request(Interactions, 10, rows: 1, oneAm);

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero), export.ScheduledFor);
    }

    [Theory]
    [InlineData(181)]
    [InlineData(400)]
    public void Request_WhenRangeIsOverTheAbsoluteCeiling_BreaksRangeTooLong(int days)
    {
        var error = Assert.Throws<BusinessRuleValidationException>(() => Request(Clients, days, rows: 1, Morning));

        Assert.Equal("range_too_long", error.BrokenRule.Code);
        Assert.IsAssignableFrom<IRequestRule>(error.BrokenRule);
    }

    [Fact]
    public void Request_WhenRangeIsOverTheTraysDeferredRange_BreaksRangeTooLong()
    {
        Assert.Equal("range_too_long", Assert.Throws<BusinessRuleValidationException>(() => Request(Interactions, 46, rows: 1, Morning)).BrokenRule.Code);
        Assert.Equal(ExportMode.Deferred, Request(Interactions, 45, rows: 1, Morning).Mode);
    }

    [Fact]
    public void TrayPolicy_WhenDeferredRangeIsOverTheCeiling_IsRefused()
    {
        Assert.Throws<DomainValidationException>(() => new TrayPolicy("x", true, 60, 10, 181));
        Assert.Throws<DomainValidationException>(() => new TrayPolicy("x", true, 90, 10, 45));
    }

    [Fact]
    public void Request_WhenAnotherIsPendingForTheTray_BreaksOneActivePerTrayNamingIt()
    {
        var pending = Request(Clients, 1, rows: 1, Morning);

        var error = Assert.Throws<BusinessRuleValidationException>(() => Request(Clients, 1, rows: 1, Morning, active: pending));

        Assert.Equal("export_in_progress", error.BrokenRule.Code);
        Assert.Contains(pending.Id.ToString(), error.Message);
        Assert.Equal(pending.Id, ((IRuleDetails)error.BrokenRule).Details["activeExportId"]);
    }

    [Fact]
    public void Request_WhenADeferredOneWasMadeTodayLocal_BreaksTheDailyQuotaUntilLocalMidnight()
    {
        var first = Request(Interactions, 10, rows: 1, Morning);
        first.End(ExportStatus.Failed, Morning);
        var evening = new DateTimeOffset(2026, 11, 24, 4, 30, 0, TimeSpan.Zero); // 23:30 the same Bogota day

        var error = Assert.Throws<BusinessRuleValidationException>(() => Request(Interactions, 10, rows: 1, evening, deferredToday: first));

        var quota = Assert.IsAssignableFrom<IQuotaRule>(error.BrokenRule);
        Assert.Equal("deferred_quota_exceeded", quota.Code);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 5, 0, 0, TimeSpan.Zero), quota.RetryAt); // 00:00 Bogota
    }

    [Fact]
    public void Request_WhenOnlineAndADeferredOneWasMadeToday_IsStillAllowed()
    {
        var deferred = Request(Clients, 90, rows: 1, Morning);
        deferred.End(ExportStatus.Cancelled, Morning);

        var online = Request(Clients, 5, rows: 1, Morning, deferredToday: deferred);

        Assert.Equal(ExportMode.Online, online.Mode);
    }

    [Fact]
    public void TenantDay_AtLocalMidnight_BelongsToTheNewDay()
    {
        var midnight = new DateTimeOffset(2026, 11, 24, 5, 0, 0, TimeSpan.Zero);

        var day = TenantDay.At(midnight, Bogota, new TimeOnly(2, 0));

        Assert.Equal(new DateOnly(2026, 11, 24), day.Today);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 7, 0, 0, TimeSpan.Zero), day.NextNightlyWindow);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 5, 0, 0, TimeSpan.Zero), day.NextDayStartsAt);
    }

    [Fact]
    public void Complete_WhenPending_RecordsRowsAndFileOnce()
    {
        var export = Request(Clients, 1, rows: 3, Morning);
        var file = Guid.NewGuid();

        export.Complete(3, file, Morning);

        Assert.Equal(ExportStatus.Completed, export.Status);
        Assert.Equal(3, export.RowCount);
        Assert.Equal(file, export.FileId);
        Assert.Equal("export_not_pending", Assert.Throws<BusinessRuleValidationException>(() => export.Complete(3, file, Morning)).BrokenRule.Code);
        export.End(ExportStatus.Failed, Morning);
        Assert.Equal(ExportStatus.Completed, export.Status);
    }

    [Fact]
    public void RunNow_WhenDeferred_MovesTheScheduleToNow()
    {
        var export = Request(Interactions, 3, rows: 1, Morning);

        export.RunNow(Morning.AddMinutes(1));

        Assert.Equal(Morning.AddMinutes(1), export.ScheduledFor);
    }

    [Fact]
    public void FollowNightlyWindow_WhenTheTenantMovesItsWindow_RunsInTheNextNewWindow()
    {
        var export = Request(Interactions, 3, rows: 1, Morning); // 10:00 Bogota: scheduled for 02:00 tomorrow
        var madrid = TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid");

        export.FollowNightlyWindow(TenantDay.At(Morning.AddMinutes(5), madrid, new TimeOnly(23, 30)));

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 22, 30, 0, TimeSpan.Zero), export.ScheduledFor); // 23:30 Madrid, tonight
        Assert.Equal(ExportStatus.Pending, export.Status);
    }

    [Fact]
    public void FollowNightlyWindow_WhenOnline_IsRefused()
    {
        var export = Request(Clients, 1, rows: 1, Morning);

        Assert.Throws<DomainValidationException>(() => export.FollowNightlyWindow(TenantDay.At(Morning, Bogota, new TimeOnly(4, 0))));
        Assert.Null(export.ScheduledFor);
    }

    [Fact]
    public void FollowNightlyWindow_WhenAlreadyFinished_BreaksExportNotPending()
    {
        var export = Request(Interactions, 3, rows: 1, Morning);
        export.End(ExportStatus.Cancelled, Morning);

        var error = Assert.Throws<BusinessRuleValidationException>(() => export.FollowNightlyWindow(TenantDay.At(Morning, Bogota, new TimeOnly(4, 0))));

        Assert.Equal("export_not_pending", error.BrokenRule.Code);
    }

    private static ExportRequest Request(
        TrayPolicy policy, int days, long rows, DateTimeOffset now, ExportRequest? active = null, ExportRequest? deferredToday = null)
    {
        var day = TenantDay.At(now, Bogota, new TimeOnly(2, 0));
        var to = day.Today;
        var demand = new ExportDemand(Tenant, Guid.NewGuid(), to.AddDays(1 - days), to, ExportFormat.Csv, ["name"], "{}");
        return ExportRequest.Request(demand, new ExportCircumstances(policy, day, rows, active, deferredToday));
    }
}
