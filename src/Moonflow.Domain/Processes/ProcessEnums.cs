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
    InteractionsImport,
    Export,
}

public enum ProcessItemOutcome
{
    /// <summary>The record was changed as asked.</summary>
    Succeeded,

    /// <summary>An imported row became a new record.</summary>
    Created,

    /// <summary>An imported row matched a record that already exists; nothing was added.</summary>
    Duplicate,

    Failed,
}

public enum ProcessFileKind
{
    Result,
    ErrorReport,

    /// <summary>The file the requester uploaded, kept with the process for the audit trail.</summary>
    Upload,
}
