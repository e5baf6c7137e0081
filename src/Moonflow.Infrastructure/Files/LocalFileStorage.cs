using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Files;

namespace Moonflow.Infrastructure.Files;

public sealed class FileStorageOptions
{
    public const string Section = "FileStorage";

    /// <summary>
    /// Root folder; every API and worker node must see the same one (a shared volume when scaled out). A relative root is
    /// taken from <see cref="HomeDirectory"/>, never from the folder a node was started in.
    /// </summary>
    public string Root { get; set; } = "storage";

    /// <summary>
    /// The base of relative paths: <c>MOONFLOW_HOME</c> when set, else the user's local data folder plus <c>moonflow</c>
    /// (<c>~/.local/share/moonflow</c> on Linux). The same for every node a user starts on a machine, however it is started.
    /// </summary>
    public static string HomeDirectory()
    {
        if (Environment.GetEnvironmentVariable("MOONFLOW_HOME") is { Length: > 0 } home)
        {
            return Path.GetFullPath(home);
        }

        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return Path.Combine(string.IsNullOrEmpty(data) ? Path.GetTempPath() : data, "moonflow");
    }

    /// <summary>The root as an absolute path.</summary>
    public string FullRoot() => Path.GetFullPath(Path.IsPathRooted(Root) ? Root : Path.Combine(HomeDirectory(), Root));
}

/// <summary>Files on a (shared) folder. Keys are generated here, never taken from users, so no path escapes the root.</summary>
internal sealed class LocalFileStorage(IOptions<FileStorageOptions> options, TimeProvider clock) : IFileStorage
{
    /// <summary>A file being written carries this suffix until it is complete.</summary>
    private const string PartialSuffix = ".partial";

    private string Root { get; } = options.Value.FullRoot();

    public async Task<StoredFile> SaveAsync(string folder, string fileName, Func<Stream, CancellationToken, Task> content, CancellationToken cancellationToken)
    {
        var safeFolder = string.Concat(folder.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        var key = $"{safeFolder}/{clock.GetUtcNow():yyyy/MM/dd}/{Guid.NewGuid():N}{(extension.Length <= 6 ? extension : string.Empty)}";
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + PartialSuffix;
        try
        {
            // Written under a temporary name and renamed, so a reader never sees half a file.
            await using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content(stream, cancellationToken);
            }

            File.Move(partial, path);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }

        return new StoredFile(key, new FileInfo(path).Length);
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    public Task<int> DeleteAbandonedWritesAsync(DateTimeOffset untouchedSince, CancellationToken cancellationToken)
    {
        var deleted = 0;
        if (!Directory.Exists(Root))
        {
            return Task.FromResult(deleted);
        }

        foreach (var partial in Directory.EnumerateFiles(Root, "*" + PartialSuffix, SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (File.GetLastWriteTimeUtc(partial) < untouchedSince.UtcDateTime)
            {
                File.Delete(partial);
                deleted++;
            }
        }

        return Task.FromResult(deleted);
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(Root, key));
        return path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new InvalidOperationException("A storage key points outside the storage root.");
    }
}
