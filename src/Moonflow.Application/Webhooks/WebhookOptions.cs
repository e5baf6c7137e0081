using System.Globalization;

namespace Moonflow.Application.Webhooks;

/// <summary>Delivery of webhooks: timeouts, the retry schedule and which targets are allowed (section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Waits before the 2nd, 3rd, … attempt, comma-separated: 8 attempts over about 28 hours by default (Standard Webhooks'
    /// suggested schedule). A string, not a list, so that configuration replaces it instead of appending to it.
    /// </summary>
    public string RetrySchedule { get; set; } = "00:00:05,00:05:00,00:30:00,02:00:00,05:00:00,10:00:00,10:00:00";

    /// <summary>Each wait is moved by up to this share either way, so endpoints that failed together are not retried together.</summary>
    public double Jitter { get; set; } = 0.2;

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Job workers per node that make attempts (a queue of their own, apart from the processes').</summary>
    public int WorkerCount { get; set; } = 4;

    /// <summary>An endpoint whose every attempt failed for this long is disabled and the admins are told.</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long the previous secret keeps signing beside the new one after a rotation.</summary>
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Outside Development, endpoints must be https.</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>Allow targets on loopback, private, link-local and metadata addresses (true in Development only).</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>A delivery due this long ago with no attempt (its job was lost) is enqueued again by the sweep.</summary>
    public TimeSpan SweepGrace { get; set; } = TimeSpan.FromMinutes(1);

    public IReadOnlyList<TimeSpan> RetryDelays() =>
        RetrySchedule.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => TimeSpan.Parse(part, CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>When to try again after failed attempt number <paramref name="attempt"/> (1-based), or null when the schedule has run out.</summary>
    public DateTimeOffset? NextAttemptAfter(int attempt, DateTimeOffset now, Random random)
    {
        var delays = RetryDelays();
        if (attempt > delays.Count)
        {
            return null;
        }

        var spread = 1 + (Jitter * ((random.NextDouble() * 2) - 1));
        return now + (delays[attempt - 1] * spread);
    }
}
