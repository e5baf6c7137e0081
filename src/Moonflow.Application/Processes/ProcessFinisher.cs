using Moonflow.Application.Notifications;
using Moonflow.Application.Processes.Execution;
using Moonflow.Domain.Notifications;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes;

/// <summary>
/// What happens whenever a process ends, however it ends (completed, failed, cancelled): the requester is
/// notified, its frozen targets go, and its action releases what it held. Same transaction as the ending.
/// </summary>
public sealed class ProcessFinisher(
    IEnumerable<IBulkActionExecutor> executors, INotificationRepository notifications, IBulkProcessRepository processes, TimeProvider clock)
{
    public async Task FinishAsync(BulkProcess process, CancellationToken cancellationToken)
    {
        notifications.Add(Notification.ProcessFinished(process, clock.GetUtcNow()));
        await processes.DeleteTargetsAsync(process.Id, cancellationToken);
        await executors.Single(e => e.Type == process.Type).CleanUpAsync(process, cancellationToken);
    }
}
