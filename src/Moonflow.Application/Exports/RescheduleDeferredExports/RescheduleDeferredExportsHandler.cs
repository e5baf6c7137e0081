using MediatR;
using Moonflow.Application.Common.Time;
using Moonflow.Application.Identity;
using Moonflow.Application.Processes;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Exports.RescheduleDeferredExports;

/// <summary>
/// The tenant moved its nightly window or time zone: every deferred download still waiting for the window moves to
/// the next window as it is now (the user asked for "tonight's window", not for an instant). Downloads already handed
/// to the job engine (released by the window, or run now by an admin) keep running.
/// </summary>
public sealed class RescheduleDeferredExportsHandler(IExportRequestRepository exports, IBulkProcessRepository processes, TimeProvider clock)
    : INotificationHandler<TenantScheduleChanged>
{
    public async Task Handle(TenantScheduleChanged notification, CancellationToken cancellationToken)
    {
        var calendar = TenantCalendar.DayOf(notification.Tenant, clock.GetUtcNow());
        foreach (var export in await exports.FindPendingDeferredAsync(cancellationToken))
        {
            // Locked, so that a runner or canceller of the process waits for this move to commit.
            var process = await processes.LockAsync(export.ProcessId, cancellationToken);
            if (process is not { Status: ProcessStatus.Queued, JobId: null, ScheduledFor: not null })
            {
                continue;
            }

            export.FollowNightlyWindow(calendar);
            process.Schedule(export.ScheduledFor);
        }
    }
}
