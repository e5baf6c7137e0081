using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes;

public interface IBulkProcessRepository
{
    void Add(BulkProcess process);

    /// <summary>Loads a process of the caller's tenant for change.</summary>
    Task<BulkProcess?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Loads and row-locks a process until the transaction ends, so two runners never work on it at once.</summary>
    Task<BulkProcess?> LockAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Across tenants: processes still queued with no job, older than <paramref name="queuedBefore"/> and not held for later.</summary>
    Task<IReadOnlyList<(Guid TenantId, Guid ProcessId)>> FindUndispatchedAsync(DateTimeOffset queuedBefore, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Across tenants: queued processes held for later whose time has come (the tenants' nightly windows).</summary>
    Task<IReadOnlyList<(Guid TenantId, Guid ProcessId)>> FindDueScheduledAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Across tenants: files whose lifetime ended and whose bytes are still stored.</summary>
    Task<IReadOnlyList<ExpiredFile>> FindExpiredFilesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    Task MarkFilesPurgedAsync(IReadOnlyCollection<Guid> fileIds, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Across tenants: deletes up to <paramref name="limit"/> processes finished before the cut-off; returns their remaining files.</summary>
    Task<(int Deleted, IReadOnlyList<string> StorageKeys)> DeleteFinishedBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken);

    /// <summary>Drops the frozen target list once a process no longer needs it.</summary>
    Task DeleteTargetsAsync(Guid processId, CancellationToken cancellationToken);
}

public sealed record ExpiredFile(Guid FileId, string StorageKey);
