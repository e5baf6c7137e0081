using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Localization;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Processes.Execution;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes.RunProcess;

/// <summary>
/// Runs a process to its end. Sent by the background job; safe to send again after an interruption, and safe to send twice
/// at once: only the holder of the process's runner lease works on it. Chunked actions commit each chunk's work with its
/// checkpoint; long steps run outside any transaction (see <see cref="ILongStepExecutor"/>).
/// </summary>
public sealed record RunProcessCommand(Guid ProcessId) : IRequest<ProcessStatus>;

public sealed class RunProcessCommandHandler(
    IBulkProcessRepository processes,
    IEnumerable<IBulkActionExecutor> executors,
    IProcessErrorReportWriter errorReports,
    ProcessFinisher finisher,
    IUnitOfWork unitOfWork,
    IProcessRunnerLeases leases,
    LongStepRunner longSteps,
    IOptions<ProcessOptions> options,
    TimeProvider clock,
    ILogger<RunProcessCommandHandler> logger) : IRequestHandler<RunProcessCommand, ProcessStatus>
{
    public async Task<ProcessStatus> Handle(RunProcessCommand request, CancellationToken cancellationToken)
    {
        await using var lease = await leases.AcquireAsync(request.ProcessId, options.Value.RunnerLeaseWait, cancellationToken);
        if (lease is null)
        {
            logger.LogInformation("Process {ProcessId} is being run by another runner; this job leaves it to them", request.ProcessId);
            return ProcessStatus.Running;
        }

        // Whatever the work is doing, it stops the moment the lease can no longer be vouched for: another runner may take over.
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        while (true)
        {
            ProcessStatus status;
            try
            {
                var next = await unitOfWork.InTransactionAsync(() => StepAsync(request.ProcessId, run.Token), run.Token);
                status = next.LongStep is { } step ? await longSteps.RunAsync(next.Process!, step, run.Token) : next.Status;
            }
            catch (ProcessInputException ex)
            {
                status = await unitOfWork.InTransactionAsync(() => FailAsync(request.ProcessId, ex.Message, run.Token), run.Token);
            }

            if (status is not ProcessStatus.Running)
            {
                return status;
            }
        }
    }

    /// <summary>One transaction: lock the process, then do the next chunk, finish it, or hand it to its long step.</summary>
    private async Task<Next> StepAsync(Guid processId, CancellationToken cancellationToken)
    {
        var process = await processes.LockAsync(processId, cancellationToken)
            ?? throw new Common.Exceptions.NotFoundException("Process", processId);
        if (process.IsFinished)
        {
            return new Next(process.Status);
        }

        var now = clock.GetUtcNow();
        var executor = executors.Single(e => e.Type == process.Type);
        if (!process.TargetsFrozen)
        {
            process.FreezeTargets(await executor.PrepareAsync(process, cancellationToken));
        }

        process.Start(now);
        if (process.CancellationRequested)
        {
            process.StopAtCheckpoint(now);
            await finisher.FinishAsync(process, cancellationToken);
            return new Next(process.Status);
        }

        if (executor is ILongStepExecutor longStep)
        {
            // Committed before the step begins: from here on nothing holds the row, so progress and a cancel get through.
            process.RestartStep();
            return new Next(process.Status, process, longStep);
        }

        var chunk = await executor.ExecuteChunkAsync(process, executor.ChunkSize(options.Value), cancellationToken);
        if (!chunk.IsEmpty)
        {
            process.RecordProgress(chunk.Succeeded, chunk.Failed, chunk.LastSeq);
            return new Next(process.Status);
        }

        if (process.Failed > 0)
        {
            var report = await executor.WriteErrorReportAsync(process, cancellationToken) ?? await errorReports.WriteAsync(process, cancellationToken);
            process.AttachFile(
                ProcessFileKind.ErrorReport, $"errors-{process.Id:N}.xlsx", ContentTypes.Xlsx,
                report.Key, report.SizeBytes, now, options.Value.FileLifetime);
        }

        process.Complete(clock.GetUtcNow());
        await finisher.FinishAsync(process, cancellationToken);
        return new Next(process.Status);
    }

    private async Task<ProcessStatus> FailAsync(Guid processId, string reason, CancellationToken cancellationToken)
    {
        var process = await processes.LockAsync(processId, cancellationToken) ?? throw new Common.Exceptions.NotFoundException("Process", processId);
        if (!process.IsFinished)
        {
            // Said in the language of the request that started it (a reader's English words found under reason.*).
            process.Fail(Texts.Default.Translate(Texts.ReasonPrefix, reason, process.Language ?? Texts.DefaultLanguage), clock.GetUtcNow());
            await finisher.FinishAsync(process, cancellationToken);
        }

        return process.Status;
    }

    /// <summary>What the transaction left to do: nothing more in it (<see cref="Status"/>), or a long step on the committed process.</summary>
    private sealed record Next(ProcessStatus Status, BulkProcess? Process = null, ILongStepExecutor? LongStep = null);
}
