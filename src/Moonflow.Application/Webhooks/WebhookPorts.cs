using Moonflow.Domain.Webhooks;

namespace Moonflow.Application.Webhooks;

public interface IWebhookEndpointRepository
{
    void Add(WebhookEndpoint endpoint);

    void Remove(WebhookEndpoint endpoint);

    Task<WebhookEndpoint?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The caller's tenant's enabled endpoints subscribed to <paramref name="eventType"/>.</summary>
    Task<IReadOnlyList<WebhookEndpoint>> SubscribedToAsync(string eventType, CancellationToken cancellationToken);
}

public interface IWebhookDeliveryRepository
{
    void Add(WebhookDelivery delivery);

    Task<WebhookDelivery?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Locks the delivery row for this transaction, or null when another worker holds it (it is attempting it).</summary>
    Task<WebhookDelivery?> LockAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Every tenant's pending deliveries due before <paramref name="dueBefore"/> and claimed by nobody: their job was lost.</summary>
    Task<IReadOnlyList<(Guid TenantId, Guid DeliveryId)>> FindStrandedAsync(DateTimeOffset dueBefore, DateTimeOffset now, int limit, CancellationToken cancellationToken);
}

/// <summary>Sends one signed attempt over HTTP; never throws for what the receiver does (no answer, an error, a timeout).</summary>
public interface IWebhookSender
{
    Task<AttemptOutcome> SendAsync(WebhookMessage message, CancellationToken cancellationToken);
}

/// <summary>What one attempt sends: the body, signed with every secret given (Standard Webhooks), at <see cref="Timestamp"/>.</summary>
public sealed record WebhookMessage(string Url, string MessageId, DateTimeOffset Timestamp, string Body, IReadOnlyList<string> Secrets);

/// <summary>Checks an endpoint's URL before it is registered: its scheme and the addresses its host resolves to now.</summary>
public interface IWebhookTargetGuard
{
    /// <summary>Why the URL may not receive webhooks, or null when it may.</summary>
    Task<Moonflow.Domain.Common.ErrorText?> RefusalAsync(string url, CancellationToken cancellationToken);
}

/// <summary>Hands a delivery's next attempt to the job engine (after the commit that wrote it).</summary>
public interface IWebhookDispatcher
{
    void Dispatch(Guid tenantId, Guid deliveryId, TimeSpan delay);
}

/// <summary>Makes endpoints' signing secrets (<c>whsec_</c> and base64, as Standard Webhooks writes them).</summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    public static string Generate() => Prefix + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}
