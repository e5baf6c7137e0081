using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Processes.Execution;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes.RunProcess;

/// <summary>
/// Runs the long step of a process that is already marked running (committed): the work outside any transaction with its
/// progress written beside it, then one short transaction that attaches the files and completes the process — or, when the
/// process was cancelled meanwhile, deletes what the step wrote and ends it cancelled.
/// </summary>
public sealed class LongStepRunner(
    IBulkProcessRepository processes,
    IUnitOfWork unitOfWork,
    ProcessFinisher finisher,
    IFileStorage files,
    IServiceScopeFactory scopes,
    IOptions<ProcessOptions> options,
    TimeProvider clock,
    ILogger<LongStepRunner> logger)
{
    public async Task<ProcessStatus> RunAsync(BulkProcess process, ILongStepExecutor executor, CancellationToken cancellationToken)
    {
        using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        StepResult? result = null;
        await using (var progress = new StepProgress(process, scopes, options.Value.ProgressInterval, step, logger))
        {
            try
            {
                result = await executor.RunStepAsync(process, progress, step.Token);
            }
            catch (OperationCanceledException) when (progress.ProcessStopped && !cancellationToken.IsCancellationRequested)
            {
                // Cancelled by a user (or ended meanwhile): the step let go of its partial output; the process ends below.
            }
        }

        if (result is null)
        {
            return await unitOfWork.InTransactionAsync(() => EndAsync(process.Id, executor, null, cancellationToken), cancellationToken);
        }

        try
        {
            return await unitOfWork.InTransactionAsync(() => EndAsync(process.Id, executor, result, cancellationToken), cancellationToken);
        }
        catch
        {
            // Nothing refers to the files unless that transaction committed; the step writes them again when the job runs again.
            await DeleteAsync(result);
            throw;
        }
    }

    /// <summary>The final transaction: the step's files attached and the process completed, or the process stopped as cancelled.</summary>
    private async Task<ProcessStatus> EndAsync(Guid processId, ILongStepExecutor executor, StepResult? result, CancellationToken cancellationToken)
    {
        var process = await processes.LockAsync(processId, cancellationToken) ?? throw new Common.Exceptions.NotFoundException("Process", processId);
        var now = clock.GetUtcNow();
        if (result is null || process.IsFinished || process.CancellationRequested)
        {
            await DeleteAsync(result);
            if (!process.IsFinished)
            {
                process.StopAtCheckpoint(now);
                await finisher.FinishAsync(process, cancellationToken);
            }

            return process.Status;
        }

        var attached = result.Files
            .Select(f => process.AttachFile(f.Kind, f.FileName, f.ContentType, f.Stored.Key, f.Stored.SizeBytes, now, f.Lifetime ?? options.Value.FileLifetime))
            .ToList();
        process.FinishStep(result.Succeeded, result.Failed);
        await executor.CompleteStepAsync(process, result, attached, cancellationToken);
        process.Complete(now);
        await finisher.FinishAsync(process, cancellationToken);
        return process.Status;
    }

    private async Task DeleteAsync(StepResult? result)
    {
        foreach (var file in result?.Files ?? [])
        {
            try
            {
                await files.DeleteAsync(file.Stored.Key, CancellationToken.None);
            }
            catch (IOException ex)
            {
                logger.LogWarning(ex, "Could not delete the unattached file {Key}", file.Stored.Key);
            }
        }
    }
}
