using Microsoft.Extensions.Time.Testing;
using Moonflow.Application.Exports;
using Moonflow.Application.Exports.RescheduleDeferredExports;
using Moonflow.Application.Identity;
using Moonflow.Application.Processes;
using Moonflow.Domain.Exports;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;
using NSubstitute;

namespace Moonflow.Application.Tests.Exports;

public sealed class RescheduleDeferredExportsHandlerTests
{
    /// <summary>2026-11-23 10:00 in Bogota.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);

    private static readonly TimeZoneInfo Bogota = TimeZoneInfo.FindSystemTimeZoneById("America/Bogota");

    private readonly Tenant _tenant = Tenant.Create("demo", "Demo", "America/Bogota", Now);
    private readonly IExportRequestRepository _exports = Substitute.For<IExportRequestRepository>();
    private readonly IBulkProcessRepository _processes = Substitute.For<IBulkProcessRepository>();

    private RescheduleDeferredExportsHandler Handler() => new(_exports, _processes, new FakeTimeProvider(Now));

    [Fact]
    public async Task Handle_WhenADeferredDownloadWaitsForTheWindow_MovesItAndItsProcessToTheNewWindow()
    {
        var (export, process) = Deferred();
        _tenant.ChangeSchedule("America/Bogota", new TimeOnly(23, 0));

        await Handler().Handle(new TenantScheduleChanged(_tenant), CancellationToken.None);

        var tonight = new DateTimeOffset(2026, 11, 24, 4, 0, 0, TimeSpan.Zero); // 23:00 Bogota, today
        Assert.Equal(tonight, export.ScheduledFor);
        Assert.Equal(tonight, process.ScheduledFor);
    }

    [Fact]
    public async Task Handle_WhenTheDownloadWasAlreadyHandedToTheJobEngine_LeavesItAlone()
    {
        var (export, process) = Deferred();
        var before = export.ScheduledFor;
        process.MarkDispatched("42");
        _tenant.ChangeSchedule("America/Bogota", new TimeOnly(23, 0));

        await Handler().Handle(new TenantScheduleChanged(_tenant), CancellationToken.None);

        Assert.Equal(before, export.ScheduledFor);
        Assert.Equal(before, process.ScheduledFor);
    }

    [Fact]
    public async Task Handle_WhenAnAdminAlreadyReleasedIt_LeavesItReleased()
    {
        var (export, process) = Deferred();
        export.RunNow(Now);
        process.Schedule(null);
        _tenant.ChangeSchedule("America/Bogota", new TimeOnly(23, 0));

        await Handler().Handle(new TenantScheduleChanged(_tenant), CancellationToken.None);

        Assert.Equal(Now, export.ScheduledFor);
        Assert.Null(process.ScheduledFor);
    }

    private (ExportRequest Export, BulkProcess Process) Deferred()
    {
        var policy = new TrayPolicy("interactions", onlineAllowed: false, onlineMaxDays: 0, onlineMaxRows: 0, deferredMaxDays: 45);
        var day = TenantDay.At(Now, Bogota, Tenant.DefaultNightlyWindow);
        var export = ExportRequest.Request(
            new ExportDemand(_tenant.Id, Guid.NewGuid(), day.Today.AddDays(-3), day.Today, ExportFormat.Csv, ["clientName"], "{}"),
            new ExportCircumstances(policy, day, 10, null, null));
        var process = BulkProcess.Queue(_tenant.Id, ProcessType.Export, "Download interactions", "{}", Guid.NewGuid(), "seller@demo.test", Now);
        process.FreezeTargets(10);
        process.Schedule(export.ScheduledFor);
        export.TrackWith(process.Id);
        _exports.FindPendingDeferredAsync(Arg.Any<CancellationToken>()).Returns([export]);
        _processes.LockAsync(process.Id, Arg.Any<CancellationToken>()).Returns(process);
        return (export, process);
    }
}
