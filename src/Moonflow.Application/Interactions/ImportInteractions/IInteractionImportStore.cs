using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Processes.Execution;
using Moonflow.Domain.Interactions;
using Moonflow.Domain.Processes;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Interactions.ImportInteractions;

/// <summary>
/// Where an upload's rows wait between reading the file and registering them: staged once (binary COPY),
/// then registered chunk by chunk, set-based, inside the runner's transaction.
/// </summary>
public interface IInteractionImportStore
{
    /// <summary>Replaces the process's staged rows with the file's data rows; returns how many were staged.</summary>
    Task<long> StageAsync(Guid processId, IAsyncEnumerable<SpreadsheetRow> dataRows, CancellationToken cancellationToken);

    Task<IReadOnlyList<StagedRow>> ReadChunkAsync(Guid processId, long afterSeq, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<(DocumentType Type, string Number), ClientRef>> FindClientsAsync(
        Guid tenantId, IReadOnlyCollection<(DocumentType Type, string Number)> documents, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, AdvisorRef>> FindAdvisorsAsync(Guid tenantId, IReadOnlyCollection<string> emails, CancellationToken cancellationToken);

    /// <summary>Inserts the interactions (a row identical to an existing one is a duplicate) and writes every row's item.</summary>
    Task<ChunkOutcome> RegisterAsync(
        BulkProcess process, IReadOnlyList<(long Seq, string RecordKey, Interaction Interaction)> candidates,
        IReadOnlyList<(long Seq, string RecordKey, string Error)> failures, CancellationToken cancellationToken);

    /// <summary>The failed rows as uploaded, with the header row and an error column: ready to fix and upload again.</summary>
    Task<StoredFile> WriteErrorWorkbookAsync(BulkProcess process, IReadOnlyList<string?> headers, CancellationToken cancellationToken);

    Task DeleteStagedAsync(Guid processId, CancellationToken cancellationToken);
}

public sealed record StagedRow(long Seq, IReadOnlyList<string?> Cells);

public sealed record ClientRef(Guid Id, string Name);

public sealed record AdvisorRef(Guid Id, string Name);
