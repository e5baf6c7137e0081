using Hangfire;
using Moonflow.Application.Processes;
using Npgsql;

namespace Moonflow.Infrastructure.Jobs;

/// <summary>Enqueues a committed process and records its job id (so the safety net knows it was dispatched).</summary>
internal sealed class HangfireProcessDispatcher(IBackgroundJobClient jobs, NpgsqlDataSource dataSource) : IProcessDispatcher
{
    public async Task DispatchAsync(Guid tenantId, Guid processId, CancellationToken cancellationToken)
    {
        var jobId = jobs.Enqueue<ProcessJob>(job => job.RunAsync(tenantId, processId, null, CancellationToken.None));
        await using var command = dataSource.CreateCommand(
            "UPDATE processes.bulk_processes SET job_id = $1 WHERE id = $2 AND tenant_id = $3");
        command.Parameters.Add(new NpgsqlParameter { Value = jobId });
        command.Parameters.Add(new NpgsqlParameter { Value = processId });
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
