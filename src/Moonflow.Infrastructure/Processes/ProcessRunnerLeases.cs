using Microsoft.Extensions.Logging;
using Moonflow.Application.Processes;
using Npgsql;

namespace Moonflow.Infrastructure.Processes;

/// <summary>
/// Runner leases as PostgreSQL session-level advisory locks, each on a connection of its own held for the whole run: the
/// database lets exactly one session hold a process's lock, and lets go of it the moment that session ends — the runner
/// finished, or its node died (the kernel closes a killed process's socket; keepalives end a session whose node vanished).
/// No timing decides who runs: a lease is never taken away from a live holder.
/// </summary>
internal sealed class ProcessRunnerLeases(RunnerLeaseConnections connections, ILogger<ProcessRunnerLeases> logger) : IProcessRunnerLeases
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(2);

    public async Task<IProcessRunnerLease?> AcquireAsync(Guid processId, TimeSpan wait, CancellationToken cancellationToken)
    {
        var connection = await connections.OpenAsync(cancellationToken);
        try
        {
            var deadline = DateTime.UtcNow + wait;
            while (true)
            {
                await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended('moonflow.process-runner:' || $1::text, 0))", connection);
                command.Parameters.Add(new NpgsqlParameter { Value = processId });
                if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
                {
                    return new Lease(processId, connection, logger);
                }

                if (DateTime.UtcNow + RetryEvery > deadline)
                {
                    await connection.DisposeAsync();
                    return null;
                }

                await Task.Delay(RetryEvery, cancellationToken);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Holds the lock's session and checks it every few seconds; a broken session means the lease is lost.</summary>
    private sealed class Lease : IProcessRunnerLease
    {
        private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(5);

        private readonly Guid _processId;
        private readonly NpgsqlConnection _connection;
        private readonly ILogger _logger;
        private readonly CancellationTokenSource _lost = new();
        private readonly CancellationTokenSource _released = new();
        private readonly Task _watch;

        public Lease(Guid processId, NpgsqlConnection connection, ILogger logger)
        {
            _processId = processId;
            _connection = connection;
            _logger = logger;
            _watch = Task.Run(WatchAsync);
        }

        public CancellationToken Lost => _lost.Token;

        public async ValueTask DisposeAsync()
        {
            await _released.CancelAsync();
            await _watch;

            // Closing the session releases the lock; the connection is not pooled, so nothing outlives the run.
            await _connection.DisposeAsync();
            _lost.Dispose();
            _released.Dispose();
        }

        private async Task WatchAsync()
        {
            while (!_released.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(CheckEvery, _released.Token);
                    await using var command = new NpgsqlCommand("SELECT 1", _connection);
                    await command.ExecuteScalarAsync(_released.Token);
                }
                catch (OperationCanceledException) when (_released.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    _logger.LogError(ex, "The runner lease of process {ProcessId} was lost with its database session; the run stops", _processId);
                    await _lost.CancelAsync();
                    return;
                }
            }
        }
    }
}

/// <summary>
/// Unpooled connections for runner leases: a lease's lock belongs to its session, which must end with the run (a pooled
/// connection would carry the lock on to its next user). Server-side keepalives end the session of a node that vanished
/// without closing its socket, so that another node can take over.
/// </summary>
internal sealed class RunnerLeaseConnections(string connectionString)
{
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
    {
        Pooling = false,
        ApplicationName = "moonflow-runner-lease",
        KeepAlive = 10,
        Options = "-c tcp_keepalives_idle=15 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3",
    }.ConnectionString;

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
