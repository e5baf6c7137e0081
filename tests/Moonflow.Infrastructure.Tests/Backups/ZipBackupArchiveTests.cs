using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Moonflow.Application.Backups;
using Moonflow.Application.Common.Backups;
using Moonflow.Application.Common.Files;
using Moonflow.Infrastructure.Backups;

namespace Moonflow.Infrastructure.Tests.Backups;

public sealed class ZipBackupArchiveTests
{
    private static readonly BackupScope Scope = new(Guid.NewGuid(), "demo", TimeZoneInfo.FindSystemTimeZoneById("America/Bogota"), new DateTimeOffset(2027, 1, 15, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Write_WhenContributorsAddEntries_ListsEachInTheManifestWithItsSizeAndHash()
    {
        using var output = new MemoryStream();
        var store = new MemoryFileStorage();
        store.Files["attachments/1"] = Encoding.UTF8.GetBytes("%PDF-1.7 a client's contract");
        var progress = new RecordingProgress();

        await using (var archive = new ZipBackupArchive(output, store, progress, Scope))
        {
            await archive.AddDatasetAsync("", "clients.xlsx", async (s, ct) => { await s.WriteAsync("PK-ish"u8.ToArray(), ct); return 42; }, CancellationToken.None);
            await archive.AddAsync("invoices/issued", "F-1.xml", (s, ct) => s.WriteAsync("<Invoice/>"u8.ToArray(), ct).AsTask(), CancellationToken.None);
            await archive.AddStoredFileAsync("clients/CC-1-Ana", "contrato.pdf", "attachments/1", CancellationToken.None);
            await archive.AddStoredFileAsync("clients/CC-1-Ana", "contrato.pdf", "attachments/1", CancellationToken.None);
            await archive.WriteManifestAsync(CancellationToken.None);
        }

        output.Position = 0;
        using var zip = new ZipArchive(output, ZipArchiveMode.Read);
        Assert.Equal(
            ["clients.xlsx", "invoices/issued/F-1.xml", "clients/CC-1-Ana/contrato.pdf", "clients/CC-1-Ana/contrato (2).pdf", "manifest.json"],
            zip.Entries.Select(e => e.FullName));
        Assert.Equal(5, progress.LastEntries);

        using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
        var root = manifest.RootElement;
        Assert.Equal(Scope.TenantId, root.GetProperty("tenant").GetProperty("id").GetGuid());
        Assert.Equal(Scope.GeneratedAt, root.GetProperty("generatedAt").GetDateTimeOffset());
        Assert.Equal(42, root.GetProperty("datasets").GetProperty("clients.xlsx").GetProperty("rows").GetInt64());
        var listed = root.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(4, listed.Count);
        foreach (var item in listed)
        {
            var entry = zip.GetEntry(item.GetProperty("path").GetString()!)!;
            using var content = new MemoryStream();
            await using (var stream = entry.Open())
            {
                await stream.CopyToAsync(content);
            }

            Assert.Equal(item.GetProperty("size").GetInt64(), content.Length);
            Assert.Equal(item.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(content.ToArray())));
        }
    }

    [Fact]
    public async Task Write_WhenContentIsAlreadyCompressed_StoresItAndDeflatesTheRest()
    {
        using var output = new MemoryStream();
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<row>same text</row>", 1000)));
        await using (var archive = new ZipBackupArchive(output, new MemoryFileStorage(), new RecordingProgress(), Scope))
        {
            await archive.AddAsync("", "scan.pdf", (s, ct) => s.WriteAsync(text, ct).AsTask(), CancellationToken.None);
            await archive.AddAsync("", "invoice.xml", (s, ct) => s.WriteAsync(text, ct).AsTask(), CancellationToken.None);
        }

        output.Position = 0;
        using var zip = new ZipArchive(output, ZipArchiveMode.Read);
        Assert.Equal(text.Length, zip.GetEntry("scan.pdf")!.CompressedLength);
        Assert.True(zip.GetEntry("invoice.xml")!.CompressedLength < text.Length / 10);
    }

    /// <summary>
    /// ZIP64 for real, without 4 GB of disk: a stored entry of 4.5 GB of zeros goes into a sparse in-memory stream (zero pages are
    /// not kept), the archive is read back with a standard reader, the entry read to its end (its CRC checked by the reader), and
    /// the entry after it, past the 4 GB offset, read too. The ZIP64 end of central directory record must be there.
    /// </summary>
    [Fact]
    public async Task Write_WhenAnEntryAndTheArchivePass4GB_WritesZip64ThatReadsBack()
    {
        const long Big = (4L << 30) + (512L << 20);
        using var output = new SparseStream();
        var chunk = new byte[1 << 20];
        await using (var archive = new ZipBackupArchive(output, new MemoryFileStorage(), new RecordingProgress(), Scope))
        {
            await archive.AddAsync("clients/CC-1-Ana", "video.zip", async (s, ct) =>
            {
                for (long written = 0; written < Big; written += chunk.Length)
                {
                    await s.WriteAsync(chunk, ct);
                }
            }, CancellationToken.None);
            await archive.AddAsync("", "after.txt", (s, ct) => s.WriteAsync("after 4 GB"u8.ToArray(), ct).AsTask(), CancellationToken.None);
            await archive.WriteManifestAsync(CancellationToken.None);
        }

        Assert.True(output.Length > Big);
        Assert.True(output.EndsWithZip64Records(), "no ZIP64 end of central directory record");
        output.Position = 0;
        using var zip = new ZipArchive(output, ZipArchiveMode.Read, leaveOpen: true);
        var big = zip.GetEntry("clients/CC-1-Ana/video.zip")!;
        Assert.Equal(Big, big.Length);
        long read = 0;
        await using (var stream = big.Open())
        {
            int n;
            while ((n = await stream.ReadAsync(chunk)) > 0)
            {
                read += n;
            }
        }

        Assert.Equal(Big, read);
        using var after = new StreamReader(zip.GetEntry("after.txt")!.Open());
        Assert.Equal("after 4 GB", await after.ReadToEndAsync());
        using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
        Assert.Equal(Big, manifest.RootElement.GetProperty("entries")[0].GetProperty("size").GetInt64());
    }

    private sealed class RecordingProgress : IBackupArchiveProgress
    {
        public long LastEntries { get; private set; }

        public void Estimate(long entries)
        {
        }

        public ValueTask ReportAsync(long entries, long bytes, CancellationToken cancellationToken)
        {
            LastEntries = entries;
            return ValueTask.CompletedTask;
        }
    }
}

internal sealed class MemoryFileStorage : IFileStorage
{
    public Dictionary<string, byte[]> Files { get; } = [];

    public async Task<StoredFile> SaveAsync(string folder, string fileName, Func<Stream, CancellationToken, Task> content, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        await content(stream, cancellationToken);
        var key = $"{folder}/{Guid.NewGuid():N}";
        Files[key] = stream.ToArray();
        return new StoredFile(key, stream.Length);
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) => Task.FromResult<Stream>(new MemoryStream(Files[key], writable: false));

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        Files.Remove(key);
        return Task.CompletedTask;
    }

    public Task<int> DeleteAbandonedWritesAsync(DateTimeOffset untouchedSince, CancellationToken cancellationToken) => Task.FromResult(0);
}

/// <summary>A seekable stream that keeps only the 64 KB pages holding a non-zero byte: gigabytes of zeros cost nothing.</summary>
internal sealed class SparseStream : Stream
{
    private const int PageSize = 1 << 16;
    private readonly Dictionary<long, byte[]> _pages = [];
    private long _length;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value;
    }

    public bool EndsWithZip64Records()
    {
        var tailLength = (int)Math.Min(_length, 1 << 16);
        var tail = new byte[tailLength];
        var saved = _position;
        _position = _length - tailLength;
        ReadExactly(tail);
        _position = saved;
        return tail.AsSpan().IndexOf("PK\u0006\u0006"u8) >= 0 && tail.AsSpan().IndexOf("PK\u0006\u0007"u8) >= 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, Math.Max(0, _length - _position));
        var done = 0;
        while (done < count)
        {
            var page = (_position + done) / PageSize;
            var at = (int)((_position + done) % PageSize);
            var n = Math.Min(count - done, PageSize - at);
            if (_pages.TryGetValue(page, out var bytes))
            {
                bytes.AsSpan(at, n).CopyTo(buffer.Slice(done, n));
            }
            else
            {
                buffer.Slice(done, n).Clear();
            }

            done += n;
        }

        _position += count;
        return count;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var page = (_position + done) / PageSize;
            var at = (int)((_position + done) % PageSize);
            var n = Math.Min(buffer.Length - done, PageSize - at);
            var part = buffer.Slice(done, n);
            if (_pages.TryGetValue(page, out var bytes))
            {
                part.CopyTo(bytes.AsSpan(at));
            }
            else if (part.IndexOfAnyExcept((byte)0) >= 0)
            {
                bytes = new byte[PageSize];
                part.CopyTo(bytes.AsSpan(at));
                _pages[page] = bytes;
            }

            done += n;
        }

        _position += buffer.Length;
        _length = Math.Max(_length, _position);
    }

    public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => _length + offset,
    };

    public override void SetLength(long value) => _length = value;

    public override void Flush()
    {
    }
}
