namespace Moonflow.Domain.Processes;

public enum ProcessStatus
{
    Queued,
    Running,
    Completed,
    CompletedWithErrors,
    Failed,
    Cancelled,
}

/// <summary>Every kind of background action the process log tracks.</summary>
public enum ProcessType
{
    ClientsBulkTag,
    ClientsBulkDelete,
}

public enum ProcessItemOutcome
{
    Succeeded,
    Failed,
}

public enum ProcessFileKind
{
    Result,
    ErrorReport,
}
