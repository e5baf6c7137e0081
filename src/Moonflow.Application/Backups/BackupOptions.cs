namespace Moonflow.Application.Backups;

/// <summary>The <c>Backups</c> settings.</summary>
public sealed class BackupOptions
{
    public const string Section = "Backups";

    /// <summary>How long a download link works after it was issued (never past the archive's retention).</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(72);

    /// <summary>How long the archive is kept after it is ready; fresh links are given until then, and it is deleted after.</summary>
    public TimeSpan FileRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>A backup not emailed this long after its request is overdue: support follows it up (seed 002: 48 hours).</summary>
    public TimeSpan OverdueAfter { get; set; } = TimeSpan.FromHours(48);

    /// <summary>The address links in emails start with: where users reach this API.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>
    /// HMAC-SHA256 key (at least 32 bytes) of download links. When empty, a key derived from <c>Auth:SigningKey</c> for this
    /// purpose alone is used; with neither, the API refuses to start.
    /// </summary>
    public string? LinkSigningKey { get; set; }

    /// <summary>Waits between attempts to send an email while the server refuses; the last one repeats.</summary>
    public List<TimeSpan> EmailRetryDelays { get; set; } = [];

    public static readonly TimeSpan[] DefaultEmailRetryDelays =
        [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1)];

    public TimeSpan EmailRetryDelay(int failedAttempts)
    {
        var delays = EmailRetryDelays.Count > 0 ? EmailRetryDelays : [.. DefaultEmailRetryDelays];
        return delays[Math.Clamp(failedAttempts - 1, 0, delays.Count - 1)];
    }
}
