using Moonflow.Domain.Common;

namespace Moonflow.Domain.Webhooks;

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its next attempt (the first one included).</summary>
    Pending,
    Succeeded,

    /// <summary>Every attempt failed, or the endpoint was disabled or deleted; a redelivery starts it again.</summary>
    Failed,
}

/// <summary>
/// One event for one endpoint: the outbox row written in the transaction that raised the event, and then its delivery
/// log. Its message id is the <c>webhook-id</c> of every attempt, redeliveries included, so receivers drop duplicates.
/// </summary>
public sealed class WebhookDelivery : AggregateRoot, ITenantOwned
{
    public const int ResponseExcerptLength = 500;

    private WebhookDelivery()
    {
        EventType = MessageId = Payload = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid EndpointId { get; private set; }

    public string EventType { get; private set; }

    /// <summary>The <c>webhook-id</c> header: <c>msg_</c> and the delivery id, the same on every attempt.</summary>
    public string MessageId { get; private set; }

    /// <summary>The exact body sent (and signed): <c>{ type, timestamp, data }</c>.</summary>
    public string Payload { get; private set; }

    public WebhookDeliveryStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? NextAttemptAt { get; private set; }

    /// <summary>A worker that claimed the next attempt holds it until then; a worker that died lets it go at that time.</summary>
    public DateTimeOffset? ClaimedUntil { get; private set; }

    public DateTimeOffset? LastAttemptAt { get; private set; }

    public int? LastStatusCode { get; private set; }

    public int? LastDurationMs { get; private set; }

    public string? LastResponseExcerpt { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? SucceededAt { get; private set; }

    public static WebhookDelivery Create(Guid tenantId, Guid endpointId, string eventType, string payload, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        return new WebhookDelivery
        {
            Id = id,
            TenantId = tenantId,
            EndpointId = endpointId,
            EventType = Guard.Required(eventType, nameof(eventType), 100),
            MessageId = $"msg_{id:N}",
            Payload = payload,
            Status = WebhookDeliveryStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }

    public bool IsDue(DateTimeOffset now) =>
        Status == WebhookDeliveryStatus.Pending && NextAttemptAt <= now && (ClaimedUntil is null || ClaimedUntil <= now);

    /// <summary>Takes the next attempt for one worker until <paramref name="until"/> (the attempt's timeout and a margin).</summary>
    public void Claim(DateTimeOffset until) => ClaimedUntil = until;

    /// <summary>Records one attempt; <paramref name="retryAt"/> is when to try again after a failure, or null to give up.</summary>
    public void RecordAttempt(AttemptOutcome outcome, DateTimeOffset now, DateTimeOffset? retryAt)
    {
        Attempts++;
        LastAttemptAt = now;
        LastStatusCode = outcome.StatusCode;
        LastDurationMs = outcome.DurationMs;
        LastResponseExcerpt = outcome.ResponseExcerpt is { Length: > ResponseExcerptLength } long_ ? long_[..ResponseExcerptLength] : outcome.ResponseExcerpt;
        LastError = outcome.Error;
        ClaimedUntil = null;
        if (outcome.Succeeded)
        {
            Status = WebhookDeliveryStatus.Succeeded;
            SucceededAt = now;
            NextAttemptAt = null;
        }
        else if (retryAt is { } next)
        {
            NextAttemptAt = next;
        }
        else
        {
            GiveUp();
        }
    }

    /// <summary>No more attempts (the endpoint was disabled or removed, or the schedule ran out).</summary>
    public void GiveUp()
    {
        Status = WebhookDeliveryStatus.Failed;
        NextAttemptAt = null;
        ClaimedUntil = null;
    }

    /// <summary>An admin asks for the same message again: same id, same body, a fresh schedule of attempts.</summary>
    public void Redeliver(DateTimeOffset now)
    {
        CheckRule(new DeliveryMustHaveStoppedToRedeliverRule(this));
        Status = WebhookDeliveryStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
        ClaimedUntil = null;
        SucceededAt = null;
    }
}

/// <summary>What one attempt gave: a status code (any 2xx is success), or no answer at all (<see cref="Error"/>).</summary>
public sealed record AttemptOutcome(int? StatusCode, int DurationMs, string? ResponseExcerpt, string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
