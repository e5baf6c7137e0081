using Moonflow.Domain.Common;

namespace Moonflow.Domain.Processes;

/// <summary>
/// One background action in the process log: who ran what, when, on how many records, and how it ended.
/// Users never edit it; only its job moves it along, through the transitions below.
/// </summary>
public sealed class BulkProcess : AggregateRoot, ITenantOwned
{
    private readonly List<ProcessFile> _files = [];

    private BulkProcess()
    {
        Label = Parameters = RequestedByName = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public ProcessType Type { get; private set; }

    /// <summary>The label as first written (English), read as it is where <see cref="LabelText"/> is missing (rows older than it).</summary>
    public string Label { get; private set; }

    /// <summary>The label by key and arguments, said in the reader's language.</summary>
    public StoredText? LabelText { get; private set; }

    /// <summary>
    /// The language of the request that started it (<c>es</c>, <c>en</c>), which its files' headers, error workbook and
    /// per-record messages are written in, even when the work runs at night; null for rows older than it (Spanish).
    /// </summary>
    public string? Language { get; private set; }

    /// <summary>The request as the user made it (JSON), kept for the audit trail.</summary>
    public string Parameters { get; private set; }

    /// <summary>The user (or API key) that asked for it.</summary>
    public Guid RequestedBy { get; private set; }

    /// <summary>How the audit trail names the requester, kept as it was when the process ran.</summary>
    public string RequestedByName { get; private set; }

    public ProcessStatus Status { get; private set; }

    public DateTimeOffset QueuedAt { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public long Total { get; private set; }

    public long Processed { get; private set; }

    public long Succeeded { get; private set; }

    public long Failed { get; private set; }

    /// <summary>Sequence number of the last target whose work is committed; a resumed job starts after it.</summary>
    public long Checkpoint { get; private set; }

    public bool CancellationRequested { get; private set; }

    /// <summary>
    /// Where a long step got to, in its executor's own terms (JSON), written with the counts of the same moment; a step
    /// that runs again after an interruption resumes there. Null: the step has no checkpoint and starts from the beginning.
    /// </summary>
    public string? StepCheckpoint { get; private set; }

    public string? FailureReason { get; private set; }

    /// <summary>The job engine's id once the process was handed to it; null means it still has to be dispatched.</summary>
    public string? JobId { get; private set; }

    public bool TargetsFrozen { get; private set; }

    /// <summary>Not to be run before this time (deferred work, e.g. a download in the nightly window).</summary>
    public DateTimeOffset? ScheduledFor { get; private set; }

    public IReadOnlyList<ProcessFile> Files => _files;

    public bool IsFinished => Status is ProcessStatus.Completed or ProcessStatus.CompletedWithErrors
        or ProcessStatus.Failed or ProcessStatus.Cancelled;

    public int ProgressPercent => Total == 0
        ? (IsFinished ? 100 : 0)
        : (int)(Processed * 100 / Total);

    public static BulkProcess Queue(
        Guid tenantId, ProcessType type, string label, string parameters, Guid requestedBy, string requestedByName, DateTimeOffset now,
        StoredText? labelText = null, string? language = null) =>
        new()
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            Type = type,
            Label = Guard.Required(label, nameof(label), 300),
            LabelText = labelText,
            Language = Guard.Optional(language, nameof(language), 10),
            Parameters = parameters,
            RequestedBy = requestedBy,
            RequestedByName = Guard.Required(requestedByName, nameof(requestedByName), 300),
            Status = ProcessStatus.Queued,
            QueuedAt = now,
        };

    /// <summary>The records a process works on are fixed when it is accepted; later changes to the data do not move them.</summary>
    public void FreezeTargets(long total)
    {
        CheckRule(new TargetsAreFrozenOnceRule(this));
        if (total < 0)
        {
            throw new DomainValidationException(nameof(total), "A process cannot have a negative number of records.");
        }

        Total = total;
        TargetsFrozen = true;
    }

    /// <summary>Holds a queued process until <paramref name="notBefore"/>; null releases it at once.</summary>
    public void Schedule(DateTimeOffset? notBefore)
    {
        CheckRule(new ProcessMustBeActiveRule(this, "be scheduled"));
        ScheduledFor = notBefore?.ToUniversalTime();
    }

    public void MarkDispatched(string jobId) => JobId = Guard.Required(jobId, nameof(jobId), 100);

    /// <summary>Queued → Running. Calling it again while running is a resume after an interruption.</summary>
    public void Start(DateTimeOffset now)
    {
        CheckRule(new ProcessMustBeActiveRule(this, "start"));
        if (Status == ProcessStatus.Queued)
        {
            Status = ProcessStatus.Running;
            StartedAt = now;
        }
    }

    /// <summary>Records a committed chunk of work: its outcomes and the last target it covered.</summary>
    public void RecordProgress(long succeeded, long failed, long lastSeq)
    {
        CheckRule(new ProcessMustBeRunningRule(this, "record progress"));
        CheckRule(new ProcessedCannotExceedTotalRule(this, succeeded + failed));
        if (succeeded < 0 || failed < 0 || lastSeq < Checkpoint)
        {
            throw new DomainValidationException(nameof(lastSeq), "Progress only moves forward.");
        }

        Succeeded += succeeded;
        Failed += failed;
        Processed = Succeeded + Failed;
        Checkpoint = lastSeq;
    }

    /// <summary>
    /// A long step runs again after an interruption. Without a checkpoint it starts over, so its counts start over too;
    /// with one, they are the counts written with that checkpoint.
    /// </summary>
    public void RestartStep()
    {
        CheckRule(new ProcessMustBeRunningRule(this, "restart its step"));
        if (StepCheckpoint is null)
        {
            Succeeded = Failed = Processed = 0;
        }
    }

    /// <summary>
    /// The progress of a long step, reported while it runs outside any transaction: its counts so far, the total where
    /// it knows better than the estimate (the total never falls below what is done), and optionally a new checkpoint.
    /// </summary>
    public void ReportStepProgress(long succeeded, long failed, long? total, string? checkpoint)
    {
        CheckRule(new ProcessMustBeRunningRule(this, "report progress"));
        if (succeeded < 0 || failed < 0 || total < 0)
        {
            throw new DomainValidationException(nameof(succeeded), "Counts cannot be negative.");
        }

        CheckRule(new ProgressOnlyMovesForwardRule(this, succeeded, failed));
        Succeeded = succeeded;
        Failed = failed;
        Processed = succeeded + failed;
        Total = Math.Max(total ?? Total, Processed);
        StepCheckpoint = checkpoint ?? StepCheckpoint;
    }

    /// <summary>A long step is done: its final counts are the process's records (the estimate made when it was accepted gives way).</summary>
    public void FinishStep(long succeeded, long failed)
    {
        CheckRule(new ProcessMustBeRunningRule(this, "finish its step"));
        if (succeeded < 0 || failed < 0)
        {
            throw new DomainValidationException(nameof(succeeded), "Counts cannot be negative.");
        }

        Succeeded = succeeded;
        Failed = failed;
        Processed = Total = succeeded + failed;
        StepCheckpoint = null;
    }

    /// <summary>Running → Completed, or CompletedWithErrors when any record failed.</summary>
    public void Complete(DateTimeOffset now)
    {
        CheckRule(new ProcessMustBeRunningRule(this, "complete"));
        CheckRule(new ProcessMustHaveProcessedEveryRecordRule(this));
        Status = Failed > 0 ? ProcessStatus.CompletedWithErrors : ProcessStatus.Completed;
        FinishedAt = now;
    }

    /// <summary>Queued or Running → Failed, with a reason a user can read.</summary>
    public void Fail(string reason, DateTimeOffset now)
    {
        CheckRule(new ProcessMustBeActiveRule(this, "fail"));
        var failureReason = Guard.Required(reason, nameof(reason), 2000);
        Status = ProcessStatus.Failed;
        FailureReason = failureReason;
        StartedAt ??= now;
        FinishedAt = now;
    }

    /// <summary>
    /// A queued process is cancelled at once; a running one stops at its next checkpoint
    /// (committed work stays). Returns whether the process is already cancelled.
    /// </summary>
    public bool RequestCancellation(DateTimeOffset now)
    {
        CheckRule(new ProcessMustBeActiveRule(this, "be cancelled"));
        CancellationRequested = true;
        if (Status == ProcessStatus.Queued)
        {
            Status = ProcessStatus.Cancelled;
            FinishedAt = now;
            return true;
        }

        return false;
    }

    /// <summary>The job honours a cancellation request at a checkpoint: Running → Cancelled.</summary>
    public void StopAtCheckpoint(DateTimeOffset now)
    {
        CheckRule(new ProcessMustBeRunningRule(this, "stop"));
        Status = ProcessStatus.Cancelled;
        FinishedAt = now;
    }

    public ProcessFile AttachFile(
        ProcessFileKind kind, string fileName, string contentType, string storageKey, long sizeBytes, DateTimeOffset now, TimeSpan lifetime)
    {
        var file = ProcessFile.Create(kind, fileName, contentType, storageKey, sizeBytes, now, lifetime);
        _files.Add(file);
        return file;
    }
}
