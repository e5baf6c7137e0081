using Moonflow.Domain.Common;

namespace Moonflow.Domain.Processes;

public sealed class ProcessMustBeActiveRule(BulkProcess process, string action) : IBusinessRule
{
    public string Code => "process_not_active";

    public ErrorText Message => $"Process {process.Id} is {process.Status}; it cannot {action}.";

    public bool IsBroken() => process.IsFinished;
}

public sealed class ProcessMustBeRunningRule(BulkProcess process, string action) : IBusinessRule
{
    public string Code => "process_not_running";

    public ErrorText Message => $"Process {process.Id} is {process.Status}; it must be running to {action}.";

    public bool IsBroken() => process.Status != ProcessStatus.Running;
}

public sealed class ProcessedCannotExceedTotalRule(BulkProcess process, long more) : IBusinessRule
{
    public string Code => "process_count_overflow";

    public ErrorText Message => $"Process {process.Id} would count {process.Processed + more} records out of {process.Total}.";

    public bool IsBroken() => more < 0 || process.Processed + more > process.Total;
}

public sealed class ProcessMustHaveProcessedEveryRecordRule(BulkProcess process) : IBusinessRule
{
    public string Code => "process_incomplete";

    public ErrorText Message => $"Process {process.Id} processed {process.Processed} of {process.Total} records; it cannot complete yet.";

    public bool IsBroken() => process.Processed != process.Total;
}

public sealed class TargetsAreFrozenOnceRule(BulkProcess process) : IBusinessRule
{
    public string Code => "process_targets_frozen";

    public ErrorText Message => $"The records of process {process.Id} are already fixed.";

    public bool IsBroken() => process.TargetsFrozen || process.Status != ProcessStatus.Queued;
}

/// <summary>A long step's counts are cumulative: a report never takes back records already reported (a restart resets them first).</summary>
public sealed class ProgressOnlyMovesForwardRule(BulkProcess process, long succeeded, long failed) : IBusinessRule
{
    public string Code => "process_progress_backwards";

    public ErrorText Message => $"Process {process.Id} has {process.Succeeded} succeeded and {process.Failed} failed records; it cannot report {succeeded} and {failed}.";

    public bool IsBroken() => succeeded < process.Succeeded || failed < process.Failed;
}
