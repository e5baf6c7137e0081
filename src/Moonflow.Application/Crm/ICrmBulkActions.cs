using Moonflow.Application.Processes.Execution;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Crm;

/// <summary>
/// The CRM processes' set-based changes: each call takes one chunk of a process's frozen targets (after its checkpoint)
/// and changes them and writes their items in a single statement, inside the runner's transaction.
/// </summary>
public interface ICrmBulkActions
{
    Task<ChunkOutcome> MakeDialableAsync(BulkProcess process, RecycleMode mode, int chunkSize, CancellationToken cancellationToken);

    /// <summary>
    /// Freezes the contacts <paramref name="matching"/> finds in the order they lie in the table, so that each chunk
    /// changes a contiguous stretch of it (the pages a chunk touches stay cached, as a single statement's scan would).
    /// </summary>
    Task<long> FreezeContactsAsync(Guid processId, IQueryable<Contact> matching, CancellationToken cancellationToken);

    /// <summary>Freezes the pending agendas of <paramref name="fromUserIds"/> in due-date order, so round-robin follows it.</summary>
    Task<long> FreezePendingAgendasAsync(Guid processId, Guid tenantId, IReadOnlyList<Guid> fromUserIds, CancellationToken cancellationToken);

    Task<ChunkOutcome> ReassignAgendasAsync(
        BulkProcess process, IReadOnlyList<Guid> fromUserIds, IReadOnlyList<Guid> toUserIds, IReadOnlyList<string> toUserNames, int chunkSize,
        CancellationToken cancellationToken);

    Task<ChunkOutcome> AssociateAsync(BulkProcess process, Guid baseId, int chunkSize, CancellationToken cancellationToken);

    Task<ChunkOutcome> DissociateAsync(BulkProcess process, Guid baseId, int chunkSize, CancellationToken cancellationToken);

    Task<ChunkOutcome> ApplyTagsAsync(BulkProcess process, IReadOnlyList<string> add, IReadOnlyList<string> remove, int chunkSize, CancellationToken cancellationToken);

    Task<ChunkOutcome> DeleteAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken);
}
