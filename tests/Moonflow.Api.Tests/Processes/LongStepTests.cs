using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Exports;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Common.Files;

namespace Moonflow.Api.Tests.Processes;

/// <summary>
/// A download is a long step: its file is written outside any transaction while progress is written beside it. The file
/// store is gated here, so the step is observably in the middle of its file while the test looks at it, cancels it, or
/// crashes it.
/// </summary>
public sealed class LongStepTests(LongStepTests.GatedStorageFactory api) : IClassFixture<LongStepTests.GatedStorageFactory>
{
    private const int Rows = 6000;

    [Fact]
    public async Task Download_WhileItsFileIsWritten_StreamsProgressAndACancelEndsItWithinFiveSecondsWithoutAFile()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var tag = await InsertClientsAsync();
        var before = ExportFilesOnDisk().Count;
        api.Gate.CloseAfter(64 * 1024);
        var (exportId, processId) = await RequestClientsCsvAsync(seller, tag);

        // The stream tells of rows written while the file is still being written.
        using var stream = await seller.GetAsync($"/api/v1/processes/{processId}/events", HttpCompletionOption.ResponseHeadersRead);
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var events = ServerSentEvents.ReadAsync(await stream.Content.ReadAsStreamAsync(), watching.Token).GetAsyncEnumerator(watching.Token);
        long reported = 0;
        while (reported == 0 && await events.MoveNextAsync())
        {
            Assert.Equal("progress", events.Current.Name);
            reported = events.Current.Data.GetProperty("processed").GetInt64();
        }

        Assert.InRange(reported, 1, Rows - 1);
        await api.Gate.Blocked;
        var running = await (await seller.GetAsync($"/api/v1/processes/{processId}")).ReadJsonAsync();
        Assert.Equal("running", running.GetProperty("status").GetString());
        Assert.Equal(0, running.GetProperty("files").GetArrayLength());

        var clock = Stopwatch.StartNew();
        var cancel = await (await seller.PostAsync($"/api/v1/processes/{processId}/cancel", null)).ReadJsonAsync();
        Assert.True(cancel.GetProperty("cancellationRequested").GetBoolean());
        var finished = await seller.WaitForProcessAsync(processId, TimeSpan.FromSeconds(30));
        clock.Stop();

        Assert.Equal("cancelled", finished.GetProperty("status").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the cancel took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(0, finished.GetProperty("files").GetArrayLength());
        Assert.Equal("cancelled", (await (await seller.GetAsync($"/api/v1/exports/{exportId}")).ReadJsonAsync()).GetProperty("status").GetString());
        Assert.Equal(before, ExportFilesOnDisk().Count);
        while (await events.MoveNextAsync() && events.Current.Name != "finished")
        {
        }

        Assert.Equal("cancelled", events.Current.Data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Download_WhenItsStepFinishes_AttachesOneCompleteFileAndCountsEveryRow()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var tag = await InsertClientsAsync();
        var before = ExportFilesOnDisk().Count;
        api.Gate.CloseAfter(64 * 1024);
        var (exportId, processId) = await RequestClientsCsvAsync(seller, tag);
        await api.Gate.Blocked;
        var midway = await WaitForProgressAsync(seller, processId);

        api.Gate.Open();
        var process = await seller.WaitForProcessAsync(processId);

        Assert.Equal("running", midway.GetProperty("status").GetString());
        Assert.Equal("completed", process.GetProperty("status").GetString());
        Assert.Equal(Rows, process.GetProperty("processed").GetInt64());
        Assert.Equal(Rows, process.GetProperty("total").GetInt64());
        Assert.Single(process.GetProperty("files").EnumerateArray());
        var export = await seller.WaitForExportAsync(exportId);
        Assert.Equal(Rows, export.GetProperty("rowCount").GetInt64());
        var csv = Encoding.UTF8.GetString(await seller.DownloadAsync(export, "text/csv"));
        Assert.Equal(Rows + 1, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(before + 1, ExportFilesOnDisk().Count);
    }

    [Fact]
    public async Task Download_WhenTheNodeCrashesMidStep_IsWrittenAgainFromTheStartAndOnlyTheCompleteFileIsAttached()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var tag = await InsertClientsAsync();
        var before = ExportFilesOnDisk().Count;
        api.Gate.CrashOnceAfter(64 * 1024);
        var (exportId, processId) = await RequestClientsCsvAsync(seller, tag);

        var process = await seller.WaitForProcessAsync(processId, TimeSpan.FromSeconds(90));

        Assert.Equal(1, api.Gate.Crashes);
        Assert.Equal("completed", process.GetProperty("status").GetString());
        Assert.Equal(Rows, process.GetProperty("processed").GetInt64());
        Assert.Equal(Rows, process.GetProperty("succeeded").GetInt64());
        var export = await seller.WaitForExportAsync(exportId);
        var csv = Encoding.UTF8.GetString(await seller.DownloadAsync(export, "text/csv"));
        Assert.Equal(Rows + 1, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(before + 1, ExportFilesOnDisk().Count);
        Assert.DoesNotContain(ExportFilesOnDisk(), f => f.EndsWith(".partial", StringComparison.Ordinal));
    }

    private async Task<string> InsertClientsAsync()
    {
        var tag = TestClients.UniqueTag("long");
        await TestClients.InsertAsync(api, "demo", Rows, tag);
        return tag;
    }

    private static async Task<(Guid ExportId, Guid ProcessId)> RequestClientsCsvAsync(HttpClient seller, string tag)
    {
        var today = ExportTestSupport.DemoToday;
        var accepted = await (await seller.RequestAsync(new { tray = "clients", from = today.AddDays(-1), to = today, format = "csv", filters = new { tag } }))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("online", accepted.GetProperty("mode").GetString());
        return (accepted.GetProperty("exportId").GetGuid(), accepted.GetProperty("processId").GetGuid());
    }

    private static async Task<System.Text.Json.JsonElement> WaitForProgressAsync(HttpClient client, Guid processId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var process = await (await client.GetAsync($"/api/v1/processes/{processId}")).ReadJsonAsync();
            if (process.GetProperty("processed").GetInt64() > 0)
            {
                return process;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no progress shown: {process}");
            await Task.Delay(100);
        }
    }

    private List<string> ExportFilesOnDisk() =>
        Directory.Exists(api.StorageRoot)
            ? Directory.EnumerateFiles(api.StorageRoot, "*", SearchOption.AllDirectories).Where(f => f.Contains("exports-", StringComparison.Ordinal)).ToList()
            : [];

    public sealed class GatedStorageFactory : MoonflowApiFactory
    {
        public StorageGate Gate { get; } = new();

        protected override void ConfigureTestServices(IServiceCollection services) =>
            services.Decorate<IFileStorage>((inner, _) => new GatedStorage(inner, Gate));
    }

    /// <summary>Holds (or breaks) the writing of download files once they are this far, so a step is caught in the middle.</summary>
    public sealed class StorageGate
    {
        private readonly ManualResetEventSlim _open = new(true);
        private long _limit = long.MaxValue;
        private bool _crash;
        private TaskCompletionSource _blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Crashes { get; private set; }

        /// <summary>Completes when a write is waiting at the gate.</summary>
        public Task Blocked => _blocked.Task;

        public void CloseAfter(long bytes)
        {
            _blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _crash = false;
            _limit = bytes;
            _open.Reset();
        }

        public void CrashOnceAfter(long bytes)
        {
            _crash = true;
            _limit = bytes;
        }

        public void Open()
        {
            _limit = long.MaxValue;
            _open.Set();
        }

        internal void BeforeWrite(long written, CancellationToken cancellationToken)
        {
            if (written < _limit)
            {
                return;
            }

            if (_crash)
            {
                _crash = false;
                _limit = long.MaxValue;
                Crashes++;
                throw new IOException("Simulated node crash in the middle of a download.");
            }

            _blocked.TrySetResult();
            _open.Wait(cancellationToken);
        }
    }

    private sealed class GatedStorage(IFileStorage inner, StorageGate gate) : IFileStorage
    {
        public Task<StoredFile> SaveAsync(string folder, string fileName, Func<Stream, CancellationToken, Task> content, CancellationToken cancellationToken) =>
            folder.StartsWith("exports-", StringComparison.Ordinal)
                ? inner.SaveAsync(folder, fileName, (stream, ct) => content(new GatedStream(stream, gate, ct), ct), cancellationToken)
                : inner.SaveAsync(folder, fileName, content, cancellationToken);

        public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) => inner.OpenReadAsync(key, cancellationToken);

        public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);

        public Task<int> DeleteAbandonedWritesAsync(DateTimeOffset untouchedSince, CancellationToken cancellationToken) =>
            inner.DeleteAbandonedWritesAsync(untouchedSince, cancellationToken);
    }

    private sealed class GatedStream(Stream inner, StorageGate gate, CancellationToken cancellationToken) : Stream
    {
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            gate.BeforeWrite(_written, cancellationToken);
            inner.Write(buffer);
            _written += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken token) =>
            WriteAsync(buffer.AsMemory(offset, count), token).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken token = default)
        {
            gate.BeforeWrite(_written, cancellationToken);
            await inner.WriteAsync(buffer, token);
            _written += buffer.Length;
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken token) => inner.FlushAsync(token);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => inner.SetLength(value);
    }
}
