using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Processes;
using Npgsql;

namespace Moonflow.Api.Tests.Processes;

/// <summary>The database, not timing, decides who runs a process: one lease holder at a time, released with its session.</summary>
[Collection(ApiCollection.Name)]
public sealed class RunnerLeaseTests(MoonflowApiFactory api)
{
    private IProcessRunnerLeases Leases => api.Services.GetRequiredService<IProcessRunnerLeases>();

    [Fact]
    public async Task Acquire_WhenAnotherRunnerHoldsTheLease_GetsNothingUntilItIsReleased()
    {
        var processId = Guid.NewGuid();
        var first = await Leases.AcquireAsync(processId, TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(first);

        var second = await Leases.AcquireAsync(processId, TimeSpan.FromSeconds(3), CancellationToken.None);
        var otherProcess = await Leases.AcquireAsync(Guid.NewGuid(), TimeSpan.Zero, CancellationToken.None);
        await first.DisposeAsync();
        var third = await Leases.AcquireAsync(processId, TimeSpan.Zero, CancellationToken.None);

        Assert.Null(second);
        Assert.NotNull(otherProcess);
        Assert.NotNull(third);
        await otherProcess.DisposeAsync();
        await third.DisposeAsync();
    }

    [Fact]
    public async Task Acquire_WhenTheHolderIsReleasedWhileAnotherWaits_TheWaiterTakesOver()
    {
        var processId = Guid.NewGuid();
        var first = await Leases.AcquireAsync(processId, TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(first);

        var waiting = Leases.AcquireAsync(processId, TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        await first.DisposeAsync();
        await using var taken = await waiting;

        Assert.NotNull(taken);
    }

    [Fact]
    public async Task Lease_WhenItsDatabaseSessionDies_IsLostAndAnotherRunnerTakesOver()
    {
        var processId = Guid.NewGuid();
        await using var lease = await Leases.AcquireAsync(processId, TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(lease);
        var lost = new TaskCompletionSource();
        lease.Lost.Register(() => lost.TrySetResult());

        // As when the holder's node dies: the server ends the session that holds the lock.
        var terminated = await api.WithDbAsync(async db =>
        {
            await using var kill = new NpgsqlCommand(
                """
                SELECT count(*) FILTER (WHERE pg_terminate_backend(l.pid))
                FROM pg_locks l
                WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND l.objsubid = 1 AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended('moonflow.process-runner:' || @id::text, 0)
                """,
                db);
            kill.Parameters.AddWithValue("id", processId);
            return (long)(await kill.ExecuteScalarAsync())!;
        });
        await using var takeover = await Leases.AcquireAsync(processId, TimeSpan.FromSeconds(30), CancellationToken.None);
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, terminated);
        Assert.NotNull(takeover);
        Assert.True(lease.Lost.IsCancellationRequested);
    }
}
