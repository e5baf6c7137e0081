using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Identity.Users;
using Moonflow.Application.Notifications;
using Moonflow.Domain.Notifications;
using Moonflow.Domain.Webhooks;

namespace Moonflow.Application.Webhooks.DeliverWebhook;

/// <summary>
/// Makes the next attempt of one delivery. Sent by its job; safe to send again or twice at once: the attempt is claimed in
/// a short transaction, made outside any transaction (a receiver may take the whole timeout), and recorded in another.
/// A failure schedules the next attempt by the retry schedule; an endpoint failing for days is disabled and its admins told.
/// </summary>
public sealed record DeliverWebhookCommand(Guid DeliveryId) : IRequest<WebhookDeliveryStatus?>;

public sealed class DeliverWebhookCommandHandler(
    IWebhookDeliveryRepository deliveries,
    IWebhookEndpointRepository endpoints,
    IWebhookSender sender,
    IWebhookDispatcher dispatcher,
    INotificationRepository notifications,
    IUserDirectory users,
    IUnitOfWork unitOfWork,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<DeliverWebhookCommandHandler> logger) : IRequestHandler<DeliverWebhookCommand, WebhookDeliveryStatus?>
{
    /// <summary>Beyond the attempt's timeout, how long a claim lasts: a worker that died lets the attempt go after this.</summary>
    private static readonly TimeSpan ClaimMargin = TimeSpan.FromSeconds(30);

    public async Task<WebhookDeliveryStatus?> Handle(DeliverWebhookCommand request, CancellationToken cancellationToken)
    {
        var message = await unitOfWork.InTransactionAsync(() => ClaimAsync(request.DeliveryId, cancellationToken), cancellationToken);
        if (message is null)
        {
            return null;
        }

        var outcome = await sender.SendAsync(message, cancellationToken);
        return await unitOfWork.InTransactionAsync(() => RecordAsync(request.DeliveryId, outcome, cancellationToken), cancellationToken);
    }

    private async Task<WebhookMessage?> ClaimAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var delivery = await deliveries.LockAsync(deliveryId, cancellationToken);
        if (delivery is { Status: WebhookDeliveryStatus.Pending, ClaimedUntil: null, NextAttemptAt: { } dueAt } early && dueAt > now)
        {
            // The job engine keeps schedules to the second, so a job may wake before its attempt is due: it comes back then.
            unitOfWork.AfterCommit(() =>
            {
                dispatcher.Dispatch(early.TenantId, early.Id, dueAt - now);
                return Task.CompletedTask;
            });
            return null;
        }

        if (delivery is null || !delivery.IsDue(now))
        {
            return null; // done, or being attempted by another worker
        }

        var endpoint = await endpoints.GetAsync(delivery.EndpointId, cancellationToken);
        if (endpoint is null || (!endpoint.Enabled && delivery.EventType != WebhookEvents.Ping.Name))
        {
            delivery.GiveUp();
            return null;
        }

        delivery.Claim(now + options.Value.AttemptTimeout + ClaimMargin);
        return new WebhookMessage(endpoint.Url, delivery.MessageId, now, delivery.Payload, endpoint.SigningSecrets(now));
    }

    private async Task<WebhookDeliveryStatus?> RecordAsync(Guid deliveryId, AttemptOutcome outcome, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var delivery = await deliveries.LockAsync(deliveryId, cancellationToken);
        if (delivery is null)
        {
            return null;
        }

        var endpoint = await endpoints.GetAsync(delivery.EndpointId, cancellationToken);
        var retryAt = outcome.Succeeded ? null : options.Value.NextAttemptAfter(delivery.Attempts + 1, now, Random.Shared);
        delivery.RecordAttempt(outcome, now, endpoint is null ? null : retryAt);
        if (endpoint is not null && outcome.Succeeded)
        {
            endpoint.RecordSuccess();
        }
        else if (endpoint is not null && delivery.EventType != WebhookEvents.Ping.Name && endpoint.RecordFailure(now, options.Value.DisableAfter))
        {
            delivery.GiveUp();
            logger.LogWarning("Webhook endpoint {EndpointId} disabled after failing since {FailingSince}", endpoint.Id, endpoint.FailingSince);
            foreach (var admin in await users.AdminsAsync(endpoint.TenantId, cancellationToken))
            {
                notifications.Add(Notification.WebhookDisabled(endpoint.TenantId, admin, endpoint.Url, endpoint.DisabledReason!, endpoint.FailingSince!.Value, now));
            }
        }

        if (delivery is { Status: WebhookDeliveryStatus.Pending, NextAttemptAt: { } next })
        {
            unitOfWork.AfterCommit(() =>
            {
                dispatcher.Dispatch(delivery.TenantId, delivery.Id, next - now);
                return Task.CompletedTask;
            });
        }

        return delivery.Status;
    }
}
