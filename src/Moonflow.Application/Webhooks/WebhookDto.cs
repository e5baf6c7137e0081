using System.Linq.Expressions;
using Moonflow.Domain.Webhooks;

namespace Moonflow.Application.Webhooks;

/// <summary>An endpoint as admins see it: never its secret.</summary>
public sealed record WebhookDto(
    Guid Id,
    string Url,
    string? Description,
    IReadOnlyList<string> Events,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FailingSince,
    DateTimeOffset? DisabledAt,
    string? DisabledReason,
    DateTimeOffset? PreviousSecretExpiresAt);

/// <summary>The answer to registering an endpoint or rotating its secret: the secret, shown this once.</summary>
public sealed record WebhookSecretDto(WebhookDto Webhook, string Secret);

/// <summary>One event sent to one endpoint: its last attempt, and when the next one is due.</summary>
public sealed record WebhookDeliveryDto(
    Guid Id,
    string EventType,
    string MessageId,
    WebhookDeliveryStatus Status,
    int Attempt,
    int? StatusCode,
    int? DurationMs,
    string? ResponseExcerpt,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? NextAttemptAt);

internal static class WebhookProjections
{
    public static WebhookDto ToDto(this WebhookEndpoint e) => new(
        e.Id, e.Url, e.Description, e.Events.ToList(), e.Enabled, e.CreatedAt, e.UpdatedAt, e.FailingSince, e.DisabledAt, e.DisabledReason,
        e.PreviousSecretExpiresAt);

    public static readonly Expression<Func<WebhookDelivery, WebhookDeliveryDto>> Delivery = d => new WebhookDeliveryDto(
        d.Id, d.EventType, d.MessageId, d.Status, d.Attempts, d.LastStatusCode, d.LastDurationMs, d.LastResponseExcerpt, d.LastError,
        d.CreatedAt, d.LastAttemptAt, d.NextAttemptAt);

    public static readonly Func<WebhookDelivery, WebhookDeliveryDto> ToDeliveryDto = Delivery.Compile();
}
