using Hangfire;
using Hangfire.Server;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.DispatchScheduledProcesses;
using Moonflow.Application.Processes.DispatchStrandedProcesses;
using Moonflow.Application.Processes.FailProcess;
using Moonflow.Application.Processes.PurgeProcessLog;
using Moonflow.Application.Processes.RunProcess;

namespace Moonflow.Infrastructure.Jobs;

/// <summary>
/// The Hangfire entry point of every process: it acts as the tenant and sends the run command through the
/// mediator. Hangfire retries it on errors and re-runs it when a node dies; the run resumes at its checkpoint.
/// </summary>
public sealed class ProcessJob(IServiceScopeFactory scopes, ILogger<ProcessJob> logger)
{
    /// <summary>Retries after an error; the last attempt marks the process failed instead of throwing.</summary>
    public const int Retries = 3;

    [AutomaticRetry(Attempts = Retries, DelaysInSeconds = [2, 10, 60], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [Queue("processes")]
    [JobDisplayName("Process {1}")]
    public async Task RunAsync(Guid tenantId, Guid processId, PerformContext? context, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(tenantId, new RunProcessCommand(processId), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var attempt = (context?.GetJobParameter<int>("RetryCount") ?? Retries) + 1;
            if (attempt <= Retries)
            {
                logger.LogWarning(ex, "Process {ProcessId} failed on attempt {Attempt}; Hangfire retries it", processId, attempt);
                throw;
            }

            logger.LogError(ex, "Process {ProcessId} failed after {Attempts} attempts", processId, attempt);
            await SendAsync(
                tenantId,
                new FailProcessCommand(processId, $"The process stopped after {attempt} attempts because of an internal error ({ex.GetType().Name}). Work already done is kept; support can see the details in the logs."),
                CancellationToken.None);
        }
    }

    [AutomaticRetry(Attempts = 0)]
    public async Task DispatchStrandedAsync(CancellationToken cancellationToken)
    {
        var dispatched = await SendAsync(null, new DispatchStrandedProcessesCommand(), cancellationToken);
        if (dispatched > 0)
        {
            logger.LogWarning("Dispatched {Count} processes that had no job", dispatched);
        }
    }

    /// <summary>The nightly window: releases deferred work whose tenant's local night has come.</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task DispatchScheduledAsync(CancellationToken cancellationToken)
    {
        var dispatched = await SendAsync(null, new DispatchScheduledProcessesCommand(), cancellationToken);
        if (dispatched > 0)
        {
            logger.LogInformation("Nightly window: dispatched {Count} deferred processes", dispatched);
        }
    }

    [AutomaticRetry(Attempts = 1)]
    public async Task PurgeProcessLogAsync(CancellationToken cancellationToken)
    {
        var result = await SendAsync(null, new PurgeProcessLogCommand(), cancellationToken);
        logger.LogInformation(
            "Process log purge: {Files} expired files removed, {Processes} old entries deleted, {Abandoned} half-written files deleted",
            result.FilesPurged, result.ProcessesDeleted, result.AbandonedWritesDeleted);
    }

    /// <summary>Sends a command in a scope of its own, acting for one tenant, or for the platform when null.</summary>
    private async Task<T> SendAsync<T>(Guid? tenantId, IRequest<T> command, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var caller = scope.ServiceProvider.GetRequiredService<UserContext>();
        if (tenantId is { } tenant)
        {
            caller.ActAsSystem(tenant);
        }
        else
        {
            caller.ActAsPlatform();
        }

        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command, cancellationToken);
    }
}
