using Moonflow.Domain.Common;

namespace Moonflow.Domain.Webhooks;

/// <summary>An endpoint subscribes to events of the catalogue only, so a typo never leaves a partner waiting for nothing.</summary>
public sealed class WebhookEventsMustBeKnownRule(IReadOnlyCollection<string> events) : IRequestRule
{
    private IEnumerable<string> Unknown => events.Where(e => !WebhookEvents.IsSubscribable(e));

    public string Code => "unknown_webhook_event";

    public ErrorText Message =>
        $"Unknown event(s): {string.Join(", ", Unknown)}. Events you can subscribe to: {string.Join(", ", WebhookEvents.Subscribable.Select(e => e.Name))}.";

    public bool IsBroken() => events.Count == 0 || Unknown.Any();
}

/// <summary>A delivery is redelivered only once it has stopped trying on its own; a second copy in flight helps no one.</summary>
public sealed class DeliveryMustHaveStoppedToRedeliverRule(WebhookDelivery delivery) : IBusinessRule
{
    public string Code => "webhook_delivery_pending";

    public ErrorText Message => "This delivery is still being attempted; redeliver it once it has succeeded or given up.";

    public bool IsBroken() => delivery.Status == WebhookDeliveryStatus.Pending;
}
