using Moonflow.Domain.Backups;

namespace Moonflow.Application.Backups;

/// <summary>A backup as the API shows it. A ready backup whose archive's retention has passed shows as expired at once.</summary>
public sealed record BackupDto(
    Guid Id,
    BackupStatus Status,
    DateTimeOffset RequestedAt,
    Guid RequestedBy,
    string RequestedByEmail,
    Guid ProcessId,
    DateTimeOffset? StartedAt,
    DateTimeOffset? ReadyAt,
    DateTimeOffset? FinishedAt,
    string? FailureReason,
    long? Entries,
    long? SizeBytes,
    DateTimeOffset? FileExpiresAt,
    DateTimeOffset? LinkExpiresAt,
    DateTimeOffset? EmailedAt,
    bool Overdue,
    IReadOnlyList<BackupDownloadDto>? Downloads)
{
    public static BackupDto From(BackupRequest b, DateTimeOffset now, TimeSpan overdueAfter, bool withDownloads) => new(
        b.Id,
        b.Status == BackupStatus.Ready && b.FileExpiresAt <= now ? BackupStatus.Expired : b.Status,
        b.RequestedAt,
        b.RequestedBy,
        b.RequestedByEmail,
        b.ProcessId,
        b.StartedAt,
        b.ReadyAt,
        b.FinishedAt,
        b.FailureReason,
        b.Entries,
        b.SizeBytes,
        b.FileExpiresAt,
        b.LinkExpiresAt,
        b.EmailedAt,
        IsOverdue(b, now, overdueAfter),
        withDownloads ? b.Downloads.OrderBy(d => d.DownloadedAt).Select(d => new BackupDownloadDto(d.DownloadedAt, d.IpAddress, d.UserAgent, d.Range)).ToList() : null);

    /// <summary>Seed 002: no email 48 hours after the request (a cancelled backup was stopped on purpose, so it is not).</summary>
    public static bool IsOverdue(BackupRequest b, DateTimeOffset now, TimeSpan overdueAfter) =>
        b.EmailedAt is null && b.Status != BackupStatus.Cancelled && b.RequestedAt + overdueAfter <= now;
}

public sealed record BackupDownloadDto(DateTimeOffset DownloadedAt, string? IpAddress, string? UserAgent, string? Range);

/// <summary>The tenant's quota now: backups used in the last 360 days, how many remain, and when the next is allowed.</summary>
public sealed record BackupQuotaDto(int Used, int Remaining, DateTimeOffset NextAllowedAt, bool AllowedNow);

public sealed record BackupHistory(IReadOnlyList<BackupDto> Items, BackupQuotaDto Quota);

public sealed record BackupAccepted(Guid BackupId, Guid ProcessId);

public sealed record BackupLinkIssued(Guid BackupId, DateTimeOffset ExpiresAt, string SentTo);

public sealed record BackupProcessParameters(Guid BackupId);
