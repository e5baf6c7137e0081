using Moonflow.Application.Notifications;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Webhooks;
using Moonflow.Domain.Notifications;
using Moonflow.Domain.Processes;
using Moonflow.Domain.Webhooks;

namespace Moonflow.Application.Processes;

/// <summary>
/// What happens whenever a process ends, however it ends (completed, failed, cancelled): the requester is
/// notified, partners' webhooks are written to the outbox, its frozen targets go, and its action releases what it held.
/// Same transaction as the ending, so the notice and the events exist exactly when the ending commits.
/// </summary>
public sealed class ProcessFinisher(
    IEnumerable<IBulkActionExecutor> executors, INotificationRepository notifications, IBulkProcessRepository processes, TimeProvider clock,
    IWebhookPublisher webhooks)
{
    public async Task FinishAsync(BulkProcess process, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        notifications.Add(Notification.ProcessFinished(process, now));
        await PublishAsync(process, now, cancellationToken);
        await processes.DeleteTargetsAsync(process.Id, cancellationToken);
        await executors.Single(e => e.Type == process.Type).CleanUpAsync(process, cancellationToken);
    }

    /// <summary>Every process raises <c>process.finished</c>; a completed download also <c>export.ready</c>, an upload <c>import.finished</c>.</summary>
    private async Task PublishAsync(BulkProcess process, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var data = process.ToDto(now);
        await webhooks.PublishAsync(WebhookEvents.ProcessFinished, data, cancellationToken);
        if (process.Type == ProcessType.Export && process.Status == ProcessStatus.Completed)
        {
            await webhooks.PublishAsync(WebhookEvents.ExportReady, data, cancellationToken);
        }

        // Every upload keeps the uploaded file with its process: that is what makes a process an import, whichever module's.
        if (process.Files.Any(f => f.Kind == ProcessFileKind.Upload))
        {
            await webhooks.PublishAsync(WebhookEvents.ImportFinished, data, cancellationToken);
        }
    }
}
