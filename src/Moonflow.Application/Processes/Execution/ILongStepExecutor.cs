using Moonflow.Application.Common.Files;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes.Execution;

/// <summary>
/// An action whose work is one long step — minutes or hours, such as writing a download or a backup — done outside
/// any transaction and without the process row's lock, so that progress and cancellation stay live while it runs:
/// <list type="number">
/// <item>the runner marks the process running and commits;</item>
/// <item><see cref="RunStepAsync"/> does the work, reporting progress to <see cref="IStepProgress"/>, which the runner writes in
/// short transactions of its own at least once a second, and reads back whether the process was cancelled (the step's token
/// is then cancelled);</item>
/// <item>the runner locks the process again and, in one short transaction, attaches the step's files, calls
/// <see cref="CompleteStepAsync"/> and completes the process.</item>
/// </list>
/// A crash leaves no file attached (files are attached only in the last transaction); the job runs again and the step starts
/// over, or resumes from <see cref="BulkProcess.StepCheckpoint"/> when it wrote one.
/// </summary>
public interface ILongStepExecutor : IBulkActionExecutor
{
    /// <summary>
    /// Does the work. Files it produces go into the file store and come back in the result; the runner deletes them if the
    /// process is cancelled before they are attached. On cancellation, delete any partial output and let the
    /// <see cref="OperationCanceledException"/> through.
    /// </summary>
    Task<StepResult> RunStepAsync(BulkProcess process, IStepProgress progress, CancellationToken cancellationToken);

    /// <summary>In the final transaction, after the runner attached the files: the action's own bookkeeping (the export completed, …).</summary>
    Task CompleteStepAsync(BulkProcess process, StepResult result, IReadOnlyList<ProcessFile> attached, CancellationToken cancellationToken);

    /// <summary>A long step has no chunks: the runner calls <see cref="RunStepAsync"/> instead.</summary>
    Task<ChunkOutcome> IBulkActionExecutor.ExecuteChunkAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"{Type} processes run as one long step, not in chunks.");
}

/// <summary>
/// Where a long step reports how far it got. <see cref="Report"/> is cheap (it only notes the numbers): call it as often as
/// convenient; the runner writes the latest numbers at its own pace.
/// </summary>
public interface IStepProgress
{
    /// <summary>The counts written with the checkpoint the step resumes from (zero when it starts from the beginning).</summary>
    long ResumedSucceeded { get; }

    long ResumedFailed { get; }

    /// <summary>Cumulative counts so far, and the total when the step knows it better than the estimate.</summary>
    void Report(long succeeded, long failed = 0, long? total = null);

    /// <summary>
    /// Writes a place to resume from together with these counts, now, and returns once it is committed: a step that runs
    /// again after a crash gets it back in <see cref="BulkProcess.StepCheckpoint"/>.
    /// </summary>
    Task CheckpointAsync(string checkpoint, long succeeded, long failed, CancellationToken cancellationToken);
}

/// <summary>What a long step produced: its final counts and its files (in the file store, not yet attached).</summary>
public sealed record StepResult(long Succeeded, long Failed, IReadOnlyList<StepFile> Files);

/// <param name="Lifetime">How long it stays downloadable; null for the process log's default.</param>
public sealed record StepFile(ProcessFileKind Kind, string FileName, string ContentType, StoredFile Stored, TimeSpan? Lifetime = null);
