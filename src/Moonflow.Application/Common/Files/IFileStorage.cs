namespace Moonflow.Application.Common.Files;

/// <summary>Where generated and uploaded files live (a local folder by default, shared by every node).</summary>
public interface IFileStorage
{
    /// <summary>Streams <paramref name="content"/> in under a new key; returns the key and the size written.</summary>
    Task<StoredFile> SaveAsync(string folder, string fileName, Func<Stream, CancellationToken, Task> content, CancellationToken cancellationToken);

    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes files whose writing never finished — their writer's node died mid-file — and that nobody has written to since
    /// <paramref name="untouchedSince"/>; returns how many. Nothing refers to them: a file is only attached once written.
    /// </summary>
    Task<int> DeleteAbandonedWritesAsync(DateTimeOffset untouchedSince, CancellationToken cancellationToken);
}

public sealed record StoredFile(string Key, long SizeBytes);

public static class ContentTypes
{
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Csv = "text/csv";
}
