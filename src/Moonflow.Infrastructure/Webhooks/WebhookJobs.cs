using Hangfire;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Webhooks;
using Moonflow.Application.Webhooks.DeliverWebhook;
using Moonflow.Application.Webhooks.SweepWebhookOutbox;

namespace Moonflow.Infrastructure.Webhooks;

/// <summary>
/// The Hangfire entry points of webhooks. Retries are the delivery's own schedule (written with each attempt, so the
/// log shows the next one), not Hangfire's: a job that throws is not retried, and the sweep picks up what it left due.
/// </summary>
public sealed class WebhookJob(IServiceScopeFactory scopes, ILogger<WebhookJob> logger)
{
    /// <summary>The queue of attempts, served by workers of their own (see <see cref="Application.Webhooks.WebhookOptions.WorkerCount"/>).</summary>
    public const string Queue = "webhooks";

    [AutomaticRetry(Attempts = 0)]
    [Queue(Queue)]
    [JobDisplayName("Webhook delivery {1}")]
    public async Task DeliverAsync(Guid tenantId, Guid deliveryId, CancellationToken cancellationToken)
    {
        var status = await SendAsync(tenantId, new DeliverWebhookCommand(deliveryId), cancellationToken);
        logger.LogDebug("Webhook delivery {DeliveryId}: {Status}", deliveryId, status);
    }

    [AutomaticRetry(Attempts = 0)]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var swept = await SendAsync(null, new SweepWebhookOutboxCommand(), cancellationToken);
        if (swept > 0)
        {
            logger.LogWarning("Webhook outbox sweep: {Count} deliveries had no job and were enqueued again", swept);
        }
    }

    private async Task<T> SendAsync<T>(Guid? tenantId, IRequest<T> command, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var caller = scope.ServiceProvider.GetRequiredService<UserContext>();
        if (tenantId is { } tenant)
        {
            caller.ActAsSystem(tenant);
        }
        else
        {
            caller.ActAsPlatform();
        }

        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command, cancellationToken);
    }
}

internal sealed class HangfireWebhookDispatcher(IBackgroundJobClient jobs) : IWebhookDispatcher
{
    public void Dispatch(Guid tenantId, Guid deliveryId, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            jobs.Enqueue<WebhookJob>(job => job.DeliverAsync(tenantId, deliveryId, CancellationToken.None));
        }
        else
        {
            // A delay, not a moment: the job engine's clock decides when, the delivery's own NextAttemptAt whether it is due.
            jobs.Schedule<WebhookJob>(job => job.DeliverAsync(tenantId, deliveryId, CancellationToken.None), delay);
        }
    }
}
