using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes;

public interface IBulkProcessRepository
{
    void Add(BulkProcess process);

    /// <summary>Loads a process of the caller's tenant for change.</summary>
    Task<BulkProcess?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Loads and row-locks a process until the transaction ends, so two runners never work on it at once.</summary>
    Task<BulkProcess?> LockAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Across tenants: processes still queued with no job, older than <paramref name="queuedBefore"/>.</summary>
    Task<IReadOnlyList<(Guid TenantId, Guid ProcessId)>> FindUndispatchedAsync(DateTimeOffset queuedBefore, CancellationToken cancellationToken);

    /// <summary>Drops the frozen target list once a process no longer needs it.</summary>
    Task DeleteTargetsAsync(Guid processId, CancellationToken cancellationToken);
}
