namespace Moonflow.HostileCorpus;

/// <summary>
/// A temporary folder the corpus is written into as files are asked for (each made once), deleted afterwards; a test
/// class fixture, so a class's tests share the files.
/// </summary>
public sealed class HostileCorpusFolder : IDisposable
{
    private readonly Lock _writing = new();

    public HostileCorpusFolder()
        : this(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"moonflow-hostile-{Guid.NewGuid():N}"))
    {
    }

    private HostileCorpusFolder(string path)
    {
        Path = path;
        Directory.CreateDirectory(path);
    }

    public string Path { get; }

    /// <summary>A folder at a path of the caller's choosing (deleted on disposal like any other).</summary>
    public static HostileCorpusFolder At(string path) => new(path);

    /// <summary>The file's path, written first if need be.</summary>
    public string PathOf(HostileFile file)
    {
        lock (_writing)
        {
            return file.WriteTo(Path);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
