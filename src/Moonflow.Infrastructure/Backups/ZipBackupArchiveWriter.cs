using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Moonflow.Application.Backups;
using Moonflow.Application.Backups.Archive;
using Moonflow.Application.Common.Backups;
using Moonflow.Application.Common.Files;

namespace Moonflow.Infrastructure.Backups;

/// <summary>
/// Writes a tenant's backup as one zip straight into the file store: <see cref="ZipArchive"/> in create mode over the store's
/// file stream, each entry written through as it is produced (nothing is held beyond buffers), ZIP64 wherever an entry or the
/// archive passes 4 GB. Every contributor adds its entries in turn, then <c>manifest.json</c> lists them all with their
/// sizes and SHA-256 (hashed as they streamed) and the row count of each dataset.
/// </summary>
internal sealed class ZipBackupArchiveWriter(IEnumerable<IBackupContributor> contributors, IFileStorage files) : IBackupArchiveWriter
{
    public async Task<WrittenArchive> WriteAsync(BackupScope scope, IBackupArchiveProgress progress, CancellationToken cancellationToken)
    {
        long entries = 0;
        var ordered = contributors.OrderBy(c => c.Order).ThenBy(c => c.GetType().FullName, StringComparer.Ordinal).ToList();
        long estimate = 1; // manifest.json
        foreach (var contributor in ordered)
        {
            estimate += await contributor.EstimateEntriesAsync(scope, cancellationToken);
        }

        progress.Estimate(estimate);
        var stored = await files.SaveAsync(
            $"backups-{scope.TenantId:N}",
            "backup.zip",
            async (stream, ct) =>
            {
                var archive = new ZipBackupArchive(stream, files, progress, scope);
                await using (archive)
                {
                    foreach (var contributor in ordered)
                    {
                        await contributor.ContributeAsync(scope, archive, ct);
                    }

                    await archive.WriteManifestAsync(ct);
                }

                entries = archive.Entries;
            },
            cancellationToken);
        return new WrittenArchive(stored, entries);
    }
}

/// <summary>The archive being written; see <see cref="IBackupArchive"/>.</summary>
internal sealed class ZipBackupArchive(Stream output, IFileStorage files, IBackupArchiveProgress progress, BackupScope scope) : IBackupArchive, IAsyncDisposable
{
    private readonly ZipArchive _zip = new(output, ZipArchiveMode.Create, leaveOpen: true);
    private readonly ArchiveEntryNames _names = new();
    private readonly List<ManifestEntry> _manifest = [];
    private readonly SortedDictionary<string, long> _datasets = new(StringComparer.Ordinal);

    public long Entries { get; private set; }

    public Task<string> AddAsync(string folder, string fileName, Func<Stream, CancellationToken, Task> content, CancellationToken cancellationToken) =>
        WriteEntryAsync(_names.Reserve(folder, fileName), content, cancellationToken);

    public async Task<string> AddDatasetAsync(string folder, string fileName, Func<Stream, CancellationToken, Task<long>> content, CancellationToken cancellationToken)
    {
        long rows = 0;
        var path = await WriteEntryAsync(_names.Reserve(folder, fileName), async (stream, ct) => rows = await content(stream, ct), cancellationToken);
        _datasets[path] = rows;
        return path;
    }

    public Task<string> AddStoredFileAsync(string folder, string fileName, string storageKey, CancellationToken cancellationToken) =>
        WriteEntryAsync(
            _names.Reserve(folder, fileName),
            async (stream, ct) =>
            {
                await using var source = await files.OpenReadAsync(storageKey, ct);
                await source.CopyToAsync(stream, 1 << 16, ct);
            },
            cancellationToken);

    public string SafeName(string name) => ArchiveEntryNames.Segment(name);

    /// <summary>The last entry: what the archive holds, so a reader can check every entry against it.</summary>
    public async Task WriteManifestAsync(CancellationToken cancellationToken)
    {
        var entry = _zip.CreateEntry("manifest.json", CompressionLevel.Fastest);
        entry.LastWriteTime = scope.GeneratedAt;
        await using (var stream = entry.Open())
        {
            await using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("format", "moonflow-backup/1");
            json.WriteStartObject("tenant");
            json.WriteString("id", scope.TenantId);
            json.WriteString("slug", scope.TenantSlug);
            json.WriteString("timeZone", scope.Zone.Id);
            json.WriteEndObject();
            json.WriteString("generatedAt", scope.GeneratedAt);
            json.WriteStartObject("datasets");
            foreach (var (path, rows) in _datasets)
            {
                json.WriteStartObject(path);
                json.WriteNumber("rows", rows);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteStartArray("entries");
            foreach (var item in _manifest)
            {
                json.WriteStartObject();
                json.WriteString("path", item.Path);
                json.WriteNumber("size", item.Size);
                json.WriteString("sha256", item.Sha256);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken);
        }

        Entries++;
        await progress.ReportAsync(Entries, output.Position, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        // Writes the central directory (and the ZIP64 end records when needed).
        _zip.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<string> WriteEntryAsync(string path, Func<Stream, CancellationToken, Task> content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var entry = _zip.CreateEntry(path, ArchiveEntryNames.IsCompressed(path) ? CompressionLevel.NoCompression : CompressionLevel.Fastest);
        entry.LastWriteTime = scope.GeneratedAt;
        HashingStream hashing;
        await using (var stream = entry.Open())
        {
            hashing = new HashingStream(stream, () => progress.ReportAsync(Entries, output.Position, cancellationToken));
            await content(hashing, cancellationToken);
            await hashing.FlushAsync(cancellationToken);
        }

        _manifest.Add(new ManifestEntry(path, hashing.Length, hashing.Sha256Hex()));
        await hashing.DisposeAsync();
        Entries++;
        await progress.ReportAsync(Entries, output.Position, cancellationToken);
        return path;
    }

    private sealed record ManifestEntry(string Path, long Size, string Sha256);
}

/// <summary>
/// Passes writes through to an archive entry while counting and hashing them (SHA-256), and every few megabytes gives the
/// archive a chance to report progress, so a single multi-gigabyte entry still shows movement.
/// </summary>
internal sealed class HashingStream(Stream inner, Func<ValueTask> onProgress) : Stream
{
    private const long ReportEveryBytes = 8L << 20;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;
    private long _nextReport = ReportEveryBytes;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public string Sha256Hex() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _length += buffer.Length;
        inner.Write(buffer);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _hash.AppendData(buffer.Span);
        _length += buffer.Length;
        await inner.WriteAsync(buffer, cancellationToken);
        if (_length >= _nextReport)
        {
            _nextReport = _length + ReportEveryBytes;
            await onProgress();
        }
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
