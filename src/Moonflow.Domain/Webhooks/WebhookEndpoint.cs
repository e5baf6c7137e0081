using Moonflow.Domain.Common;

namespace Moonflow.Domain.Webhooks;

/// <summary>
/// A partner's URL that receives the events it subscribed to, signed with the endpoint's secret (Standard Webhooks).
/// After a rotation the previous secret keeps signing beside the new one for a while, so the partner can switch without
/// missing a delivery. An endpoint that keeps failing for long is disabled, and says why.
/// </summary>
public sealed class WebhookEndpoint : AggregateRoot, ITenantOwned
{
    private readonly List<string> _events = [];

    private WebhookEndpoint()
    {
        Url = Secret = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Url { get; private set; }

    public string? Description { get; private set; }

    public IReadOnlyList<string> Events => _events;

    public bool Enabled { get; private set; }

    /// <summary>The current signing secret, <c>whsec_</c> and base64. Kept readable: signing needs it (unlike an API key's hash).</summary>
    public string Secret { get; private set; }

    public string? PreviousSecret { get; private set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When the current run of failed attempts began; null while the endpoint answers.</summary>
    public DateTimeOffset? FailingSince { get; private set; }

    public DateTimeOffset? DisabledAt { get; private set; }

    public string? DisabledReason { get; private set; }

    public static WebhookEndpoint Register(Guid tenantId, string url, IReadOnlyCollection<string> events, string? description, string secret, DateTimeOffset now)
    {
        var distinct = events.Distinct(StringComparer.Ordinal).ToList();
        CheckRule(new WebhookEventsMustBeKnownRule(distinct));
        var endpoint = new WebhookEndpoint
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            Url = Guard.Required(url, nameof(url), 2000),
            Description = description is null ? null : Guard.Required(description, nameof(description), 500),
            Secret = Guard.Required(secret, nameof(secret), 200),
            Enabled = true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        endpoint._events.AddRange(distinct);
        return endpoint;
    }

    public bool IsSubscribedTo(string eventType) => Enabled && _events.Contains(eventType);

    /// <summary>Changes what was given; re-enabling clears the failure record, so a fixed endpoint starts afresh.</summary>
    public void Change(string? url, IReadOnlyCollection<string>? events, bool? enabled, DateTimeOffset now)
    {
        if (events is not null)
        {
            var distinct = events.Distinct(StringComparer.Ordinal).ToList();
            CheckRule(new WebhookEventsMustBeKnownRule(distinct));
            _events.Clear();
            _events.AddRange(distinct);
        }

        if (url is not null)
        {
            Url = Guard.Required(url, nameof(url), 2000);
        }

        if (enabled is { } on && on != Enabled)
        {
            Enabled = on;
            DisabledAt = on ? null : now;
            DisabledReason = on ? null : "Disabled by an admin.";
            FailingSince = null;
        }

        UpdatedAt = now;
    }

    /// <summary>The new secret signs from now on; the old one keeps signing beside it until <paramref name="overlap"/> has passed.</summary>
    public void RotateSecret(string newSecret, DateTimeOffset now, TimeSpan overlap)
    {
        PreviousSecret = Secret;
        PreviousSecretExpiresAt = now + overlap;
        Secret = Guard.Required(newSecret, nameof(newSecret), 200);
        UpdatedAt = now;
    }

    /// <summary>The secrets that sign a message sent at <paramref name="now"/>: the current one first.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) =>
        PreviousSecret is { } previous && PreviousSecretExpiresAt > now ? [Secret, previous] : [Secret];

    public void RecordSuccess() => FailingSince = null;

    /// <summary>Notes a failed attempt; true when this one disables the endpoint (failing for <paramref name="disableAfter"/> or more).</summary>
    public bool RecordFailure(DateTimeOffset now, TimeSpan disableAfter)
    {
        FailingSince ??= now;
        if (!Enabled || now - FailingSince < disableAfter)
        {
            return false;
        }

        Enabled = false;
        DisabledAt = now;
        DisabledReason = $"Every delivery failed from {FailingSince:yyyy-MM-dd HH:mm} UTC to {now:yyyy-MM-dd HH:mm} UTC.";
        UpdatedAt = now;
        return true;
    }
}
