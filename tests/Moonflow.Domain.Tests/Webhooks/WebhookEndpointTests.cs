using Moonflow.Domain.Tests.Support;
using Moonflow.Domain.Webhooks;

namespace Moonflow.Domain.Tests.Webhooks;

public sealed class WebhookEndpointTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private static WebhookEndpoint Endpoint(params string[] events) =>
        WebhookEndpoint.Register(Guid.NewGuid(), "https://partner.example/hooks", events.Length == 0 ? ["process.finished"] : events, null, "whsec_old", Now);

    [Fact]
    public void Register_WhenAnEventIsNotInTheCatalogue_IsRefusedNamingIt()
    {
        RuleAssert.Broken("unknown_webhook_event", () => Endpoint("process.finished", "process.started"));
        RuleAssert.Broken("unknown_webhook_event", () => Endpoint("ping"));
    }

    [Fact]
    public void Catalogue_WhenListed_OffersEveryEventOfTheIssueAndNotPing()
    {
        Assert.Equal(
            ["process.finished", "export.ready", "import.finished", "backup.ready"],
            WebhookEvents.Subscribable.Select(e => e.Name));
    }

    [Fact]
    public void SigningSecrets_AfterARotation_AreBothUntilTheOverlapEnds()
    {
        var endpoint = Endpoint();

        endpoint.RotateSecret("whsec_new", Now, TimeSpan.FromHours(24));

        Assert.Equal(["whsec_new", "whsec_old"], endpoint.SigningSecrets(Now.AddHours(23)));
        Assert.Equal(["whsec_new"], endpoint.SigningSecrets(Now.AddHours(24)));
    }

    [Fact]
    public void RecordFailure_WhenFailingForTheWholePeriod_DisablesOnceAndSuccessBeforeClearsTheRun()
    {
        var endpoint = Endpoint();
        var disableAfter = TimeSpan.FromDays(3);

        Assert.False(endpoint.RecordFailure(Now, disableAfter));
        endpoint.RecordSuccess();
        Assert.False(endpoint.RecordFailure(Now.AddDays(2), disableAfter));
        Assert.False(endpoint.RecordFailure(Now.AddDays(4.9), disableAfter));
        Assert.True(endpoint.Enabled);
        Assert.True(endpoint.RecordFailure(Now.AddDays(5), disableAfter));
        Assert.False(endpoint.RecordFailure(Now.AddDays(6), disableAfter));

        Assert.False(endpoint.Enabled);
        Assert.False(endpoint.IsSubscribedTo("process.finished"));
        endpoint.Change(null, null, enabled: true, Now.AddDays(7));
        Assert.True(endpoint.IsSubscribedTo("process.finished"));
        Assert.Null(endpoint.FailingSince);
    }

    [Fact]
    public void Delivery_WhenAttempted_KeepsItsMessageIdAndStopsWhenTheScheduleRunsOut()
    {
        var delivery = WebhookDelivery.Create(Guid.NewGuid(), Guid.NewGuid(), "process.finished", "{}", Now);
        var id = delivery.MessageId;

        delivery.RecordAttempt(new AttemptOutcome(500, 12, new string('x', 900), null), Now, Now.AddSeconds(5));
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.False(delivery.IsDue(Now.AddSeconds(4)));
        Assert.True(delivery.IsDue(Now.AddSeconds(5)));
        Assert.Equal(WebhookDelivery.ResponseExcerptLength, delivery.LastResponseExcerpt!.Length);
        RuleAssert.Broken("webhook_delivery_pending", () => delivery.Redeliver(Now));

        delivery.RecordAttempt(new AttemptOutcome(null, 10_000, null, "No answer"), Now.AddSeconds(5), retryAt: null);
        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.Equal(2, delivery.Attempts);

        delivery.Redeliver(Now.AddHours(1));
        delivery.RecordAttempt(new AttemptOutcome(204, 8, "", null), Now.AddHours(1), Now.AddHours(2));
        Assert.Equal(WebhookDeliveryStatus.Succeeded, delivery.Status);
        Assert.Null(delivery.NextAttemptAt);
        Assert.Equal(id, delivery.MessageId);
    }
}
