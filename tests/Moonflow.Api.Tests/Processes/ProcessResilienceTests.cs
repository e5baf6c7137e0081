using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Processes;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Receivables.Clients;
using Moonflow.Domain.Processes;
using Moonflow.Infrastructure.Jobs;
using Npgsql;

namespace Moonflow.Api.Tests.Processes;

/// <summary>A node crashes in the middle of a chunk: the chunk rolls back, Hangfire runs the job again, and it resumes.</summary>
public sealed class InterruptedProcessTests(InterruptedProcessTests.CrashingFactory api) : IClassFixture<InterruptedProcessTests.CrashingFactory>
{
    [Fact]
    public async Task RunProcess_WhenJobCrashesMidChunk_ResumesFromCheckpointWithoutDoingAnyRecordTwice()
    {
        var tag = TestClients.UniqueTag("resume");
        await TestClients.InsertAsync(api, "demo", 500, tag);
        var seller = await api.SignInAsync("seller@demo.test");

        var processId = await seller.StartAsync("/api/v1/clients/bulk/tags", new { filter = new { tag }, add = new[] { "resumed" } });
        var process = await seller.WaitForProcessAsync(processId, TimeSpan.FromSeconds(90));

        Assert.Equal(1, api.Crashes);
        Assert.Equal("completed", process.GetProperty("status").GetString());
        Assert.Equal(500, process.GetProperty("processed").GetInt64());
        Assert.Equal(500, process.GetProperty("succeeded").GetInt64());
        var items = await BulkClientActionsTests.ReadAllItemsAsync(seller, processId);
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), items.Select(i => i.GetProperty("seq").GetInt64()));
        var tagged = await api.WithDbAsync(async db =>
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM receivables.clients WHERE 'resumed' = ANY(tags) AND @tag = ANY(tags)", db);
            count.Parameters.AddWithValue("tag", tag);
            return (long)(await count.ExecuteScalarAsync())!;
        });
        Assert.Equal(500, tagged);
    }

    public sealed class CrashingFactory : MoonflowApiFactory
    {
        private int _calls;
        private int _crashes;

        public int Crashes => _crashes;

        protected override void ConfigureTestServices(IServiceCollection services) =>
            services.Decorate<IClientBulkActions>((inner, _) => new CrashOnThirdChunk(inner, this));

        /// <summary>Does the third chunk's work inside its transaction, then dies before the commit.</summary>
        private sealed class CrashOnThirdChunk(IClientBulkActions inner, CrashingFactory owner) : IClientBulkActions
        {
            public async Task<ChunkOutcome> ApplyTagsAsync(
                BulkProcess process, IReadOnlyList<string> add, IReadOnlyList<string> remove, int chunkSize, CancellationToken cancellationToken)
            {
                var outcome = await inner.ApplyTagsAsync(process, add, remove, chunkSize, cancellationToken);
                if (Interlocked.Increment(ref owner._calls) == 3)
                {
                    Interlocked.Increment(ref owner._crashes);
                    throw new IOException("Simulated node crash in the middle of a chunk.");
                }

                return outcome;
            }

            public Task<ChunkOutcome> DeleteAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken) =>
                inner.DeleteAsync(process, chunkSize, cancellationToken);
        }
    }
}

/// <summary>The node dies after saving the request and before enqueuing its job: the safety net dispatches it.</summary>
public sealed class StrandedProcessTests(StrandedProcessTests.LosingDispatchFactory api) : IClassFixture<StrandedProcessTests.LosingDispatchFactory>
{
    [Fact]
    public async Task DispatchStranded_WhenAProcessWasNeverEnqueued_RunsItToCompletion()
    {
        var ids = await TestClients.InsertAsync(api, "demo", 150, TestClients.UniqueTag("stranded"));
        var seller = await api.SignInAsync("seller@demo.test");
        api.LoseDispatches = true;
        var processId = await seller.StartAsync("/api/v1/clients/bulk/tags", new { clientIds = ids, add = new[] { "rescued" } });

        // The dispatch runs after the commit, before the 202: by now it was lost, and no job exists that could run the process.
        Assert.Contains(processId, api.LostDispatches);
        Assert.Null(await JobIdAsync(processId));
        var waiting = await (await seller.GetAsync($"/api/v1/processes/{processId}")).ReadJsonAsync();
        Assert.Equal("queued", waiting.GetProperty("status").GetString());

        // The safety net leaves a process alone for the dispatch grace (0.5 s here), then gives it a job.
        api.LoseDispatches = false;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await JobIdAsync(processId) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the stranded process was never dispatched");
            await api.Services.GetRequiredService<ProcessJob>().DispatchStrandedAsync(CancellationToken.None);
            await Task.Delay(100); // a poll, waiting for the dispatch
        }

        var process = await seller.WaitForProcessAsync(processId);

        Assert.Equal("completed", process.GetProperty("status").GetString());
        Assert.Equal(150, process.GetProperty("succeeded").GetInt64());
    }

    private Task<string?> JobIdAsync(Guid processId) =>
        api.WithDbAsync(async db =>
        {
            await using var command = new NpgsqlCommand("SELECT job_id FROM processes.bulk_processes WHERE id = @id", db);
            command.Parameters.AddWithValue("id", processId);
            return (await command.ExecuteScalarAsync()) as string;
        });

    public sealed class LosingDispatchFactory : MoonflowApiFactory
    {
        public volatile bool LoseDispatches;

        /// <summary>Processes whose dispatch was dropped, as a node dying between the commit and the enqueue would drop it.</summary>
        public System.Collections.Concurrent.ConcurrentBag<Guid> LostDispatches { get; } = [];

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Processes:DispatchGrace", "00:00:00.500");
        }

        protected override void ConfigureTestServices(IServiceCollection services) =>
            services.Decorate<IProcessDispatcher>((inner, _) => new LosingDispatcher(inner, this));

        private sealed class LosingDispatcher(IProcessDispatcher inner, LosingDispatchFactory owner) : IProcessDispatcher
        {
            public Task DispatchAsync(Guid tenantId, Guid processId, CancellationToken cancellationToken)
            {
                if (!owner.LoseDispatches)
                {
                    return inner.DispatchAsync(tenantId, processId, cancellationToken);
                }

                owner.LostDispatches.Add(processId);
                return Task.CompletedTask;
            }
        }
    }
}

/// <summary>Without a job server, processes stay queued: cancelling one ends it at once.</summary>
public sealed class QueuedProcessTests(QueuedProcessTests.NoJobServerFactory api) : IClassFixture<QueuedProcessTests.NoJobServerFactory>
{
    [Fact]
    public async Task CancelProcess_WhenQueued_CancelsAtOnceAndNotifiesTheRequester()
    {
        var ids = await TestClients.InsertAsync(api, "demo", 3, TestClients.UniqueTag("queued"));
        var seller = await api.SignInAsync("seller@demo.test");
        var processId = await seller.StartAsync("/api/v1/clients/bulk/delete", new { clientIds = ids });

        var cancelled = await (await seller.PostAsync($"/api/v1/processes/{processId}/cancel", null)).ReadJsonAsync();

        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(0, cancelled.GetProperty("processed").GetInt64());
        var notifications = await (await seller.GetAsync("/api/v1/notifications")).ReadJsonAsync();
        Assert.Contains(notifications.GetProperty("items").EnumerateArray(), n => n.GetProperty("processId").GetGuid() == processId);
        var admin = await api.SignInAsync("admin@demo.test");
        foreach (var id in ids)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/clients/{id}")).StatusCode);
        }
    }

    [Fact]
    public async Task CancelProcess_WhenAdminCancelsASellersProcess_IsAllowed()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var processId = await seller.StartAsync("/api/v1/clients/bulk/delete", new { clientIds = new[] { Guid.NewGuid() } });
        var admin = await api.SignInAsync("admin@demo.test");

        var cancelled = await (await admin.PostAsync($"/api/v1/processes/{processId}/cancel", null)).ReadJsonAsync();

        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
    }

    public sealed class NoJobServerFactory : MoonflowApiFactory
    {
        protected override bool RunJobServer => false;
    }
}
