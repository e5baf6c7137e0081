using Moonflow.Domain.Common;

namespace Moonflow.Domain.Backups;

public enum BackupStatus
{
    Requested,
    Generating,
    Ready,
    Expired,
    Failed,
    Cancelled,
}

/// <summary>
/// A copy of the whole tenant (seed 002): one zip with its datasets and documents, emailed to the user who asked for it as
/// an expiring signed link. It owns the quota: at most <see cref="BackupQuota.PerWindow"/> backups in any
/// <see cref="BackupQuota.Window"/>, at least <see cref="BackupQuota.MinimumGap"/> apart; failed and cancelled ones do not count.
/// </summary>
public sealed class BackupRequest : AggregateRoot, ITenantOwned
{
    private readonly List<BackupDownload> _downloads = [];

    private BackupRequest()
    {
        RequestedByEmail = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    /// <summary>The user who asked; the email goes to their address.</summary>
    public Guid RequestedBy { get; private set; }

    public string RequestedByEmail { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    public Guid ProcessId { get; private set; }

    public BackupStatus Status { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? ReadyAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public string? FailureReason { get; private set; }

    /// <summary>The archive in the file store while it is kept.</summary>
    public string? StorageKey { get; private set; }

    public long? SizeBytes { get; private set; }

    public long? Entries { get; private set; }

    /// <summary>Until when the archive is kept (<c>Backups:FileRetention</c> after it was ready); fresh links are given until then.</summary>
    public DateTimeOffset? FileExpiresAt { get; private set; }

    /// <summary>When the last link email left; null until the first one did (the overdue list looks at it).</summary>
    public DateTimeOffset? EmailedAt { get; private set; }

    /// <summary>The expiry of the latest link issued.</summary>
    public DateTimeOffset? LinkExpiresAt { get; private set; }

    public IReadOnlyList<BackupDownload> Downloads => _downloads;

    /// <summary>Whether it counts against the quota: everything but a failed or cancelled backup does.</summary>
    public bool CountsAgainstQuota => Status is not (BackupStatus.Failed or BackupStatus.Cancelled);

    public bool IsActive => Status is BackupStatus.Requested or BackupStatus.Generating;

    /// <summary>Accepts a request if the tenant's quota allows it at <paramref name="now"/>.</summary>
    public static BackupRequest Request(Guid tenantId, Guid userId, string email, BackupQuota quota, DateTimeOffset now)
    {
        CheckRule(new BackupQuotaMustAllowRule(quota, now));
        return new BackupRequest
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            RequestedBy = userId,
            RequestedByEmail = Guard.Required(email, nameof(email), 320),
            RequestedAt = now,
            Status = BackupStatus.Requested,
        };
    }

    /// <summary>The process that generates the archive.</summary>
    public void TrackWith(Guid processId) => ProcessId = processId;

    /// <summary>Requested → generating; again while generating is a restart after a crash (the archive starts over).</summary>
    public void StartGenerating(DateTimeOffset now)
    {
        CheckRule(new BackupMustBeActiveRule(this, "start generating"));
        if (Status == BackupStatus.Requested)
        {
            Status = BackupStatus.Generating;
            StartedAt = now;
        }
    }

    /// <summary>Generating → ready: the archive is in the store and kept for <paramref name="retention"/>.</summary>
    public void MarkReady(string storageKey, long sizeBytes, long entries, DateTimeOffset now, TimeSpan retention)
    {
        CheckRule(new BackupMustBeActiveRule(this, "become ready"));
        Status = BackupStatus.Ready;
        StorageKey = Guard.Required(storageKey, nameof(storageKey), 500);
        SizeBytes = sizeBytes;
        Entries = entries;
        ReadyAt = FinishedAt = now;
        FileExpiresAt = now + retention;
    }

    /// <summary>A link to the archive, valid for <paramref name="lifetime"/> but never past the archive's own retention.</summary>
    public DateTimeOffset IssueLink(DateTimeOffset now, TimeSpan lifetime)
    {
        CheckRule(new BackupFileMustBeKeptRule(this, now));
        var expires = now + lifetime;
        LinkExpiresAt = expires < FileExpiresAt!.Value ? expires : FileExpiresAt.Value;
        return LinkExpiresAt.Value;
    }

    public void MarkEmailed(DateTimeOffset now) => EmailedAt = now;

    /// <summary>The archive's retention has passed: its file is deleted and no more links are given.</summary>
    public bool Expire(DateTimeOffset now)
    {
        if (Status != BackupStatus.Ready || FileExpiresAt > now)
        {
            return false;
        }

        Status = BackupStatus.Expired;
        StorageKey = null;
        return true;
    }

    /// <summary>Its process ended without an archive: cancelled, or failed with a reason. Neither counts against the quota.</summary>
    public void End(BackupStatus status, string? reason, DateTimeOffset now)
    {
        if (status is not (BackupStatus.Failed or BackupStatus.Cancelled))
        {
            throw new DomainValidationException(nameof(status), "A backup ends without an archive only as failed or cancelled.");
        }

        if (IsActive)
        {
            Status = status;
            FailureReason = status == BackupStatus.Failed ? Guard.Optional(reason, nameof(reason), 2000) ?? "The backup could not be generated." : null;
            FinishedAt = now;
        }
    }

    /// <summary>Every download through a link is logged: when, from where, with what.</summary>
    public BackupDownload RecordDownload(DateTimeOffset now, string? ipAddress, string? userAgent, string? range)
    {
        CheckRule(new BackupFileMustBeKeptRule(this, now));
        var download = BackupDownload.Create(this, now, ipAddress, userAgent, range);
        _downloads.Add(download);
        return download;
    }
}

/// <summary>One download of a backup's archive through its link.</summary>
public sealed class BackupDownload : ITenantOwned
{
    private BackupDownload()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid BackupId { get; private set; }

    public DateTimeOffset DownloadedAt { get; private set; }

    public string? IpAddress { get; private set; }

    public string? UserAgent { get; private set; }

    /// <summary>The byte range asked for, when the download resumed or was cut in parts.</summary>
    public string? Range { get; private set; }

    internal static BackupDownload Create(BackupRequest backup, DateTimeOffset now, string? ipAddress, string? userAgent, string? range) => new()
    {
        Id = Guid.CreateVersion7(now),
        TenantId = backup.TenantId,
        BackupId = backup.Id,
        DownloadedAt = now,
        IpAddress = Cut(ipAddress, 64),
        UserAgent = Cut(userAgent, 500),
        Range = Cut(range, 100),
    };

    private static string? Cut(string? value, int max) => value is null ? null : value.Length <= max ? value : value[..max];
}

/// <summary>
/// The tenant's backups that count against the quota, as the rules see them at the moment of a request: only their request
/// instants matter.
/// </summary>
public sealed record BackupQuota(IReadOnlyList<DateTimeOffset> Counted)
{
    public const int PerWindow = 2;

    public static readonly TimeSpan Window = TimeSpan.FromDays(360);

    public static readonly TimeSpan MinimumGap = TimeSpan.FromDays(180);

    public static BackupQuota Of(IEnumerable<BackupRequest> backups) =>
        new(backups.Where(b => b.CountsAgainstQuota).Select(b => b.RequestedAt).ToList());

    /// <summary>Backups counted within the window that ends at <paramref name="now"/>.</summary>
    public int UsedAt(DateTimeOffset now) => Counted.Count(at => at > now - Window && at <= now);

    public int RemainingAt(DateTimeOffset now) => Math.Max(0, PerWindow - UsedAt(now));

    /// <summary>
    /// The first instant a new backup is allowed: <see cref="MinimumGap"/> after the latest, and once the window holds fewer
    /// than <see cref="PerWindow"/> (the <see cref="PerWindow"/>-th latest has left it). <paramref name="now"/> when allowed now.
    /// </summary>
    public DateTimeOffset NextAllowedAt(DateTimeOffset now)
    {
        var latestFirst = Counted.OrderByDescending(at => at).ToList();
        var next = now;
        if (latestFirst.Count > 0 && latestFirst[0] + MinimumGap > next)
        {
            next = latestFirst[0] + MinimumGap;
        }

        if (latestFirst.Count >= PerWindow && latestFirst[PerWindow - 1] + Window > next)
        {
            next = latestFirst[PerWindow - 1] + Window;
        }

        return next;
    }
}
