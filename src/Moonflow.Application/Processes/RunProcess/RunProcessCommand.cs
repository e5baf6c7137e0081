using MediatR;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Processes.Execution;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes.RunProcess;

/// <summary>
/// Runs a process to its end, one committed chunk at a time. Sent by the background job; safe to send again
/// after an interruption: each chunk commits its work and its checkpoint together, so nothing is done twice.
/// </summary>
public sealed record RunProcessCommand(Guid ProcessId) : IRequest<ProcessStatus>;

public sealed class RunProcessCommandHandler(
    IBulkProcessRepository processes,
    IEnumerable<IBulkActionExecutor> executors,
    IProcessErrorReportWriter errorReports,
    ProcessFinisher finisher,
    IUnitOfWork unitOfWork,
    IOptions<ProcessOptions> options,
    TimeProvider clock) : IRequestHandler<RunProcessCommand, ProcessStatus>
{
    public async Task<ProcessStatus> Handle(RunProcessCommand request, CancellationToken cancellationToken)
    {
        while (true)
        {
            ProcessStatus status;
            try
            {
                status = await unitOfWork.InTransactionAsync(() => StepAsync(request.ProcessId, cancellationToken), cancellationToken);
            }
            catch (ProcessInputException ex)
            {
                status = await unitOfWork.InTransactionAsync(() => FailAsync(request.ProcessId, ex.Message, cancellationToken), cancellationToken);
            }

            if (status is not ProcessStatus.Running)
            {
                return status;
            }
        }
    }

    /// <summary>One transaction: lock the process, then either do the next chunk or finish it.</summary>
    private async Task<ProcessStatus> StepAsync(Guid processId, CancellationToken cancellationToken)
    {
        var process = await processes.LockAsync(processId, cancellationToken)
            ?? throw new Common.Exceptions.NotFoundException("Process", processId);
        if (process.IsFinished)
        {
            return process.Status;
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
            return process.Status;
        }

        var chunk = await executor.ExecuteChunkAsync(process, executor.ChunkSize(options.Value), cancellationToken);
        if (!chunk.IsEmpty)
        {
            process.RecordProgress(chunk.Succeeded, chunk.Failed, chunk.LastSeq);
            return process.Status;
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
        return process.Status;
    }

    private async Task<ProcessStatus> FailAsync(Guid processId, string reason, CancellationToken cancellationToken)
    {
        var process = await processes.LockAsync(processId, cancellationToken) ?? throw new Common.Exceptions.NotFoundException("Process", processId);
        if (!process.IsFinished)
        {
            process.Fail(reason, clock.GetUtcNow());
            await finisher.FinishAsync(process, cancellationToken);
        }

        return process.Status;
    }
}
