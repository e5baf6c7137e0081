using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes.Execution;

/// <summary>
/// Does one chunk of one kind of bulk action, set-based, inside the caller's transaction: the targets after
/// <see cref="BulkProcess.Checkpoint"/>, at most <c>chunkSize</c> of them, each recorded as a process item.
/// </summary>
public interface IBulkActionExecutor
{
    ProcessType Type { get; }

    /// <summary>
    /// For processes whose records are not known when accepted (uploads): fixes them and returns how many.
    /// Runs in the first transaction of the run; must be safe to repeat.
    /// </summary>
    Task<long> PrepareAsync(BulkProcess process, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"{Type} processes freeze their records when accepted.");

    Task<ChunkOutcome> ExecuteChunkAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken);

    /// <summary>Records per chunk for this action.</summary>
    int ChunkSize(ProcessOptions options) => options.ChunkSize;

    /// <summary>A workbook of the failures in this action's own shape, or null for the generic one.</summary>
    Task<Common.Files.StoredFile?> WriteErrorReportAsync(BulkProcess process, CancellationToken cancellationToken) =>
        Task.FromResult<Common.Files.StoredFile?>(null);

    /// <summary>Drops working data once the process has ended.</summary>
    Task CleanUpAsync(BulkProcess process, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The process's input is unusable (a malformed file): it fails at once with this readable reason, without retries.</summary>
public sealed class ProcessInputException(string message) : Exception(message);

/// <summary>What a chunk did; <see cref="LastSeq"/> is the checkpoint to record. An empty chunk means no work is left.</summary>
public sealed record ChunkOutcome(long Succeeded, long Failed, long LastSeq)
{
    public static readonly ChunkOutcome Nothing = new(0, 0, 0);

    public bool IsEmpty => Succeeded + Failed == 0;
}

/// <summary>Writes the error workbook of a process: every failed item with its reason.</summary>
public interface IProcessErrorReportWriter
{
    Task<Common.Files.StoredFile> WriteAsync(BulkProcess process, CancellationToken cancellationToken);
}
