using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Receivables.Clients;
using Moonflow.Domain.Processes;
using Npgsql;

namespace Moonflow.Api.Tests.Processes;

/// <summary>Chunks slowed down so that a process is observably running: progress stream and cancellation mid-way.</summary>
public sealed class ProcessProgressTests(ProcessProgressTests.SlowChunksFactory api) : IClassFixture<ProcessProgressTests.SlowChunksFactory>
{
    [Fact]
    public async Task Events_WhileProcessRuns_StreamProgressThenTheFinalState()
    {
        var tag = TestClients.UniqueTag("sse");
        await TestClients.InsertAsync(api, "demo", 500, tag);
        var seller = await api.SignInAsync("seller@demo.test");
        var processId = await seller.StartAsync("/api/v1/clients/bulk/tags", new { filter = new { tag }, add = new[] { "streamed" } });

        using var response = await seller.GetAsync($"/api/v1/processes/{processId}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await ReadEventsAsync(await response.Content.ReadAsStreamAsync());

        var progress = events.Where(e => e.Name == "progress").Select(e => e.Data.GetProperty("processed").GetInt64()).ToList();
        Assert.True(progress.Count >= 2, $"expected several progress events, got [{string.Join(", ", progress)}]");
        Assert.Equal(progress.Order(), progress);
        Assert.Contains(progress, p => p is > 0 and < 500);
        var last = events[^1];
        Assert.Equal("finished", last.Name);
        Assert.Equal("completed", last.Data.GetProperty("status").GetString());
        Assert.Equal(500, last.Data.GetProperty("processed").GetInt64());
    }

    [Fact]
    public async Task CancelProcess_WhileRunning_StopsAtTheNextCheckpointAndKeepsCommittedWork()
    {
        var tag = TestClients.UniqueTag("stop");
        await TestClients.InsertAsync(api, "demo", 500, tag);
        var seller = await api.SignInAsync("seller@demo.test");
        var processId = await seller.StartAsync("/api/v1/clients/bulk/tags", new { filter = new { tag }, add = new[] { "half-done" } });
        await WaitUntilAsync(async () => (await (await seller.GetAsync($"/api/v1/processes/{processId}")).ReadJsonAsync()).GetProperty("processed").GetInt64() >= 100);

        var requested = await (await seller.PostAsync($"/api/v1/processes/{processId}/cancel", null)).ReadJsonAsync();
        var process = await seller.WaitForProcessAsync(processId);

        Assert.True(requested.GetProperty("cancellationRequested").GetBoolean());
        Assert.Equal("cancelled", process.GetProperty("status").GetString());
        var processed = process.GetProperty("processed").GetInt64();
        Assert.InRange(processed, 100, 450);
        Assert.Equal(processed, (await BulkClientActionsTests.ReadAllItemsAsync(seller, processId)).Count);
        var tagged = await api.WithDbAsync(async db =>
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM receivables.clients WHERE 'half-done' = ANY(tags) AND @tag = ANY(tags)", db);
            count.Parameters.AddWithValue("tag", tag);
            return (long)(await count.ExecuteScalarAsync())!;
        });
        Assert.Equal(processed, tagged);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(50);
        }
    }

    private static async Task<List<(string Name, JsonElement Data)>> ReadEventsAsync(Stream stream)
    {
        using var reader = new StreamReader(stream);
        var events = new List<(string, JsonElement)>();
        string? name = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((name ?? "message", JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone()));
            }
        }

        return events;
    }

    public sealed class SlowChunksFactory : MoonflowApiFactory
    {
        protected override int ChunkSize => 50;

        protected override void ConfigureTestServices(IServiceCollection services) =>
            services.Decorate<IClientBulkActions>((inner, _) => new SlowClientBulkActions(inner));

        private sealed class SlowClientBulkActions(IClientBulkActions inner) : IClientBulkActions
        {
            public async Task<ChunkOutcome> ApplyTagsAsync(
                BulkProcess process, IReadOnlyList<string> add, IReadOnlyList<string> remove, int chunkSize, CancellationToken cancellationToken)
            {
                await Task.Delay(300, cancellationToken);
                return await inner.ApplyTagsAsync(process, add, remove, chunkSize, cancellationToken);
            }

            public Task<ChunkOutcome> DeleteAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken) =>
                inner.DeleteAsync(process, chunkSize, cancellationToken);
        }
    }
}
