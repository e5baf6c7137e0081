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

    /// <summary>A tenant's data backup: one long step that writes the archive (seed 002).</summary>
    Backup,

    CrmContactsRecycle,
    CrmContactsReprocess,
    CrmAgendasReassign,
    CrmBaseAssociate,
    CrmBaseDissociate,
    CrmContactsBulkTag,
    CrmContactsBulkDelete,

    /// <summary>Screens, sub-screens and scripts loaded from a workbook (upload pipeline).</summary>
    CrmScreensImport,

    /// <summary>Digital-channel conversations closed from a file of their ids (seed 004, "Cierre Masivo"; upload pipeline).</summary>
    CrmConversationsMassClose,

    /// <summary>Contacts loaded from a file into a lot (seed 004, "Importación de archivos").</summary>
    CrmContactsImport,

    /// <summary>Contacts updated from a file, matched by chosen key fields (seed 004, "Actualización").</summary>
    CrmContactsUpdate,

    /// <summary>Records of a tenant-defined entity created from a file (seed 004, "Entidades").</summary>
    CrmEntityRecordsImport,

    /// <summary>Extra details of a lot's contacts, as records of an entity linked to each matched contact (seed 004, "Detalles").</summary>
    CrmContactDetailsImport,
}

/// <summary>
/// What happened to one record (stored by name, so members are only ever added). Every outcome but <see cref="Failed"/> counts as a success in the process's counts:
/// a duplicate or a skipped row is no error, and a dry run's outcomes say what would have happened.
/// </summary>
public enum ProcessItemOutcome
{
    /// <summary>The record was changed as asked.</summary>
    Succeeded,

    /// <summary>An imported row became a new record.</summary>
    Created,

    /// <summary>An imported row matched a record that already exists; nothing was added.</summary>
    Duplicate,

    Failed,

    /// <summary>An imported row changed the record it matched.</summary>
    Updated,

    /// <summary>The row needed no change (the record already was as asked, e.g. a conversation already closed).</summary>
    Skipped,

    /// <summary>Dry run: the row is valid and would become a new record.</summary>
    WouldCreate,

    /// <summary>Dry run: the row is valid and would change the record it matches.</summary>
    WouldUpdate,
}

public enum ProcessFileKind
{
    Result,
    ErrorReport,

    /// <summary>The file the requester uploaded, kept with the process for the audit trail.</summary>
    Upload,
}
