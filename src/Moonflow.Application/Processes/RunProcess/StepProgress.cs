using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.Execution;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes.RunProcess;

/// <summary>
/// A long step's progress, written beside it: every <c>interval</c> the latest counts go into the process row in a short
/// transaction of their own (a service scope of its own, so the step may use its scope freely), and the same transaction
/// reads whether the process was cancelled; if so, the step's token is cancelled, which also stops a step that is blocked
/// waiting on the database rather than reporting.
/// </summary>
internal sealed class StepProgress : IStepProgress, IAsyncDisposable
{
    private readonly Guid _processId;
    private readonly AsyncServiceScope _scope;
    private readonly CancellationTokenSource _step;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private long _succeeded;
    private long _failed;
    private long? _total;
    private string? _checkpoint;
    private long _version;
    private long _written;

    public StepProgress(BulkProcess process, IServiceScopeFactory scopes, TimeSpan interval, CancellationTokenSource step, ILogger logger)
    {
        _processId = process.Id;
        _step = step;
        _logger = logger;
        ResumedSucceeded = _succeeded = process.Succeeded;
        ResumedFailed = _failed = process.Failed;
        _scope = scopes.CreateAsyncScope();
        _scope.ServiceProvider.GetRequiredService<UserContext>().ActAsSystem(process.TenantId);
        _loop = Task.Run(() => LoopAsync(interval));
    }

    public long ResumedSucceeded { get; }

    public long ResumedFailed { get; }

    /// <summary>The process was found cancelled (or no longer running): the step's token has been cancelled.</summary>
    public bool ProcessStopped { get; private set; }

    public void Report(long succeeded, long failed = 0, long? total = null)
    {
        lock (_gate)
        {
            _succeeded = succeeded;
            _failed = failed;
            _total = total ?? _total;
            _version++;
        }
    }

    public async Task CheckpointAsync(string checkpoint, long succeeded, long failed, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _succeeded = succeeded;
            _failed = failed;
            _checkpoint = checkpoint;
            _version++;
        }

        await WriteAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _scope.DisposeAsync();
        _stop.Dispose();
        _writing.Dispose();
    }

    private async Task LoopAsync(TimeSpan interval)
    {
        // Wall-clock pacing: this is how often the row is written, not business time (tests may move the clock).
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _stop.Token);
                await WriteAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A missed write only delays what users see; the step's own work goes on and the final transaction has the last word.
                _logger.LogWarning(ex, "Could not write the progress of process {ProcessId}", _processId);
            }
        }
    }

    /// <summary>Writes the latest counts (even unchanged ones: the same transaction looks for a cancellation).</summary>
    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            long succeeded, failed, version;
            long? total;
            string? checkpoint;
            lock (_gate)
            {
                (succeeded, failed, total, checkpoint, version) = (_succeeded, _failed, _total, _checkpoint, _version);
            }

            var services = _scope.ServiceProvider;
            var processes = services.GetRequiredService<IBulkProcessRepository>();
            var running = await services.GetRequiredService<IUnitOfWork>().InTransactionAsync(
                async () =>
                {
                    var process = await processes.LockAsync(_processId, cancellationToken);
                    if (process is not { Status: ProcessStatus.Running })
                    {
                        return false;
                    }

                    if (version != _written)
                    {
                        process.ReportStepProgress(succeeded, failed, total, checkpoint);
                    }

                    return !process.CancellationRequested;
                },
                cancellationToken);
            _written = version;
            if (!running && !ProcessStopped)
            {
                ProcessStopped = true;
                await _step.CancelAsync();
            }
        }
        finally
        {
            _writing.Release();
        }
    }
}
