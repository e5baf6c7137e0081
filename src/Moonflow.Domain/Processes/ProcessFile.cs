namespace Moonflow.Domain.Processes;

/// <summary>A file a process produced. The log entry outlives the file: once expired it says so.</summary>
public sealed class ProcessFile
{
    private ProcessFile()
    {
        FileName = ContentType = StorageKey = string.Empty;
    }

    public Guid Id { get; private set; }

    public ProcessFileKind Kind { get; private set; }

    public string FileName { get; private set; }

    public string ContentType { get; private set; }

    /// <summary>Where the file store keeps the bytes; never shown to callers.</summary>
    public string StorageKey { get; private set; }

    public long SizeBytes { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>When the bytes were removed from the file store after expiry.</summary>
    public DateTimeOffset? PurgedAt { get; private set; }

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt || PurgedAt is not null;

    internal static ProcessFile Create(
        ProcessFileKind kind, string fileName, string contentType, string storageKey, long sizeBytes, DateTimeOffset now, TimeSpan lifetime) =>
        new()
        {
            Id = Guid.CreateVersion7(now),
            Kind = kind,
            FileName = fileName,
            ContentType = contentType,
            StorageKey = storageKey,
            SizeBytes = sizeBytes,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
}

/// <summary>What happened to one record of a process. Written set-based by the process's job.</summary>
public sealed class ProcessItem
{
    private ProcessItem()
    {
        RecordKey = string.Empty;
    }

    public Guid ProcessId { get; private set; }

    /// <summary>Position of the record in the frozen target list; unique per process, so nothing is done twice.</summary>
    public long Seq { get; private set; }

    public string RecordKey { get; private set; }

    public ProcessItemOutcome Outcome { get; private set; }

    public string? Message { get; private set; }
}
