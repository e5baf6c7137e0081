namespace Moonflow.Application.Common.Backups;

/// <summary>
/// What a module adds to a tenant's backup (seed 002): its datasets as spreadsheets, its documents from the file store under
/// their archive paths. Each module registers one or more; the Backups module only sees this port, so a module that gets
/// documents (issued and received invoices, client attachments, CRM datasets) plugs them in with one class.
/// </summary>
public interface IBackupContributor
{
    /// <summary>Where its entries go in the archive relative to the others' (datasets first, then documents); ties by type name.</summary>
    int Order { get; }

    /// <summary>
    /// How many entries it will add, counted before the archive starts so progress moves toward a known total (a quick count,
    /// not a dry run; the final count is what was written).
    /// </summary>
    Task<long> EstimateEntriesAsync(BackupScope scope, CancellationToken cancellationToken);

    /// <summary>Adds this module's entries. Stream everything: archives run to gigabytes, memory must not grow with them.</summary>
    Task ContributeAsync(BackupScope scope, IBackupArchive archive, CancellationToken cancellationToken);
}

/// <summary>Whose backup is being written, and the moment it describes.</summary>
public sealed record BackupScope(Guid TenantId, string TenantSlug, TimeZoneInfo Zone, DateTimeOffset GeneratedAt);

/// <summary>
/// The archive being written, one entry after another. Names given here are made safe (no <c>..</c>, no absolute paths, no
/// characters that break on Windows, at most 255 bytes) and unique within their folder (<c>name (2).ext</c>); each entry's size
/// and SHA-256 go into <c>manifest.json</c>. Already-compressed content (pdf, images, zip, Office files) is stored, the rest deflated.
/// </summary>
public interface IBackupArchive
{
    /// <param name="folder">Folder path inside the archive, segments separated by <c>/</c>; empty for the root.</param>
    /// <returns>The path the entry got in the archive.</returns>
    Task<string> AddAsync(string folder, string fileName, Func<Stream, CancellationToken, Task> content, CancellationToken cancellationToken);

    /// <summary>A dataset: <paramref name="content"/> writes it and returns its row count, which the manifest lists per dataset.</summary>
    Task<string> AddDatasetAsync(string folder, string fileName, Func<Stream, CancellationToken, Task<long>> content, CancellationToken cancellationToken);

    /// <summary>A file already in the file store, copied in as it streams.</summary>
    Task<string> AddStoredFileAsync(string folder, string fileName, string storageKey, CancellationToken cancellationToken);

    /// <summary>
    /// The safe form of one name as the archive writes it (a folder segment or a file name before it is made unique): a
    /// contributor builds a folder from data with it, so a <c>/</c> in a client's name never opens another folder.
    /// </summary>
    string SafeName(string name);
}
