using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes.Execution;

/// <summary>
/// Does one chunk of one kind of bulk action, set-based, inside the caller's transaction: the targets after
/// <see cref="BulkProcess.Checkpoint"/>, at most <c>chunkSize</c> of them, each recorded as a process item.
/// </summary>
public interface IBulkActionExecutor
{
    ProcessType Type { get; }

    Task<ChunkOutcome> ExecuteChunkAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken);
}

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
