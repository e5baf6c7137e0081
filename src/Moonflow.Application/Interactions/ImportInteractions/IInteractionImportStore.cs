using Moonflow.Application.Common.Files;
using Moonflow.Application.Processes.Execution;
using Moonflow.Domain.Interactions;
using Moonflow.Domain.Processes;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Interactions.ImportInteractions;

/// <summary>
/// Registers an upload's rows chunk by chunk, set-based, inside the runner's transaction: a chunk's valid rows go
/// into a staging table with binary COPY and from there into the interactions in one statement; the rows that
/// fail are kept as uploaded until the process ends, for its error workbook.
/// </summary>
public interface IInteractionImportStore
{
    /// <summary>
    /// The tenant's clients with these documents. Reads committed data on a connection of its own, so it can run while
    /// a chunk is being registered (the interactions' foreign key still has the last word on a client deleted meanwhile).
    /// </summary>
    Task<IReadOnlyDictionary<(DocumentType Type, string Number), ClientRef>> FindClientsAsync(
        Guid tenantId, IReadOnlyCollection<(DocumentType Type, string Number)> documents, CancellationToken cancellationToken);

    /// <summary>The tenant's users with these e-mails; like <see cref="FindClientsAsync"/>, on a connection of its own.</summary>
    Task<IReadOnlyDictionary<string, AdvisorRef>> FindAdvisorsAsync(Guid tenantId, IReadOnlyCollection<string> emails, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts the interactions (a row identical to an existing one is a duplicate), keeps the failed rows and writes
    /// every row's item.
    /// </summary>
    Task<ChunkOutcome> RegisterAsync(
        BulkProcess process, IReadOnlyList<(long Seq, string RecordKey, Interaction Interaction)> candidates,
        IReadOnlyList<FailedImportRow> failures, CancellationToken cancellationToken);

    /// <summary>The failed rows as uploaded, with the header row and an error column: ready to fix and upload again.</summary>
    Task<StoredFile> WriteErrorWorkbookAsync(BulkProcess process, IReadOnlyList<string?> headers, CancellationToken cancellationToken);

    /// <summary>Drops the failed rows kept for the error workbook.</summary>
    Task DeleteFailedRowsAsync(Guid processId, CancellationToken cancellationToken);
}

/// <summary>An uploaded row that cannot be registered: its cells as uploaded and the reason, for the person who uploaded it.</summary>
public sealed record FailedImportRow(long Seq, string RecordKey, string Error, IReadOnlyList<string?> Cells);

public sealed record ClientRef(Guid Id, string Name);

public sealed record AdvisorRef(Guid Id, string Name);
