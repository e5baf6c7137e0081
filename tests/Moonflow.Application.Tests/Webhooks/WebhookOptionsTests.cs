using Moonflow.Application.Webhooks;

namespace Moonflow.Application.Tests.Webhooks;

public sealed class WebhookOptionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RetrySchedule_ByDefault_GivesEightAttemptsOverAboutADay()
    {
        var delays = new WebhookOptions().RetryDelays();

        Assert.Equal(7, delays.Count);
        Assert.InRange(delays.Aggregate(TimeSpan.Zero, (sum, d) => sum + d), TimeSpan.FromHours(24), TimeSpan.FromHours(30));
        Assert.Equal(delays.Order(), delays);
    }

    [Fact]
    public void NextAttemptAfter_WithJitter_StaysWithinItsShareAndRunsOutAfterTheLastDelay()
    {
        var options = new WebhookOptions { RetrySchedule = "00:10:00,01:00:00", Jitter = 0.2 };
        var random = new Random(7);

        var waits = Enumerable.Range(0, 200).Select(_ => options.NextAttemptAfter(1, Now, random)!.Value - Now).ToList();

        Assert.All(waits, w => Assert.InRange(w, TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(12)));
        Assert.True(waits.Distinct().Count() > 100, "jitter spreads the retries");
        Assert.Equal(Now.AddHours(1), new WebhookOptions { RetrySchedule = "00:10:00,01:00:00", Jitter = 0 }.NextAttemptAfter(2, Now, random));
        Assert.Null(options.NextAttemptAfter(3, Now, random));
    }
}
