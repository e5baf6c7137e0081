using Moonflow.Application.Common.Backups;
using Moonflow.Application.Common.Files;
using Moonflow.Domain.Backups;

namespace Moonflow.Application.Backups;

public interface IBackupRequestRepository
{
    void Add(BackupRequest backup);

    void AddEmail(BackupEmail email);

    /// <summary>Serialises every backup request of the caller's tenant until the transaction ends, so the quota sees the truth.</summary>
    Task LockTenantAsync(CancellationToken cancellationToken);

    /// <summary>The tenant's backups that count against the quota, newest first.</summary>
    Task<IReadOnlyList<BackupRequest>> ListCountingAsync(CancellationToken cancellationToken);

    Task<BackupRequest?> GetAsync(Guid id, CancellationToken cancellationToken);

    Task<BackupRequest?> GetByProcessAsync(Guid processId, CancellationToken cancellationToken);

    /// <summary>A backup named by a signed link, which carries its tenant (the caller is anonymous), with its download log.</summary>
    Task<BackupRequest?> GetForLinkAsync(Guid tenantId, Guid backupId, CancellationToken cancellationToken);

    /// <summary>An unsent email, locked for this sender (null when sent, or taken by another one right now).</summary>
    Task<BackupEmail?> LockUnsentEmailAsync(Guid emailId, CancellationToken cancellationToken);

    /// <summary>Unsent emails of every tenant whose next attempt is due (their job was lost or never enqueued).</summary>
    Task<IReadOnlyList<(Guid TenantId, Guid EmailId)>> FindDueEmailsAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Ready backups of every tenant whose archive's retention has passed.</summary>
    Task<IReadOnlyList<BackupRequest>> FindRetentionPassedAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Writes a generating backup's progress (entries and bytes so far) at once, outside any transaction.</summary>
    Task ReportProgressAsync(Guid backupId, long entries, long bytes, CancellationToken cancellationToken);
}

/// <summary>Writes a tenant's archive into the file store from every <see cref="IBackupContributor"/>, streamed.</summary>
public interface IBackupArchiveWriter
{
    Task<WrittenArchive> WriteAsync(BackupScope scope, IBackupArchiveProgress progress, CancellationToken cancellationToken);
}

/// <summary>Told the entries it will hold before the first is written, then the entries and bytes so far after each entry and every few megabytes.</summary>
public interface IBackupArchiveProgress
{
    void Estimate(long entries);

    ValueTask ReportAsync(long entries, long bytes, CancellationToken cancellationToken);
}

public sealed record WrittenArchive(StoredFile File, long Entries);

/// <summary>Signs and checks download links: tenant, backup and expiry under an HMAC.</summary>
public interface IBackupLinkSigner
{
    string Sign(BackupLink link);

    /// <summary>The link a token names, or null when it was not signed by us (tampered, truncated, another key).</summary>
    BackupLink? Verify(string? token);
}

public sealed record BackupLink(Guid TenantId, Guid BackupId, DateTimeOffset ExpiresAt);

/// <summary>Hands an outbox email to the job engine, now or after a delay.</summary>
public interface IBackupEmailScheduler
{
    void Schedule(Guid tenantId, Guid emailId, TimeSpan delay);
}
