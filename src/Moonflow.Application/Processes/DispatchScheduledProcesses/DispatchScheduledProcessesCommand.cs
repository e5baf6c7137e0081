using MediatR;

namespace Moonflow.Application.Processes.DispatchScheduledProcesses;

/// <summary>
/// The nightly window: a recurring job finds processes held for later (deferred downloads) whose tenant's local
/// night has come, and hands them to the job engine.
/// </summary>
public sealed record DispatchScheduledProcessesCommand : IRequest<int>;

public sealed class DispatchScheduledProcessesCommandHandler(IBulkProcessRepository processes, IProcessDispatcher dispatcher, TimeProvider clock)
    : IRequestHandler<DispatchScheduledProcessesCommand, int>
{
    public async Task<int> Handle(DispatchScheduledProcessesCommand request, CancellationToken cancellationToken)
    {
        var due = await processes.FindDueScheduledAsync(clock.GetUtcNow(), cancellationToken);
        foreach (var (tenantId, processId) in due)
        {
            await dispatcher.DispatchAsync(tenantId, processId, cancellationToken);
        }

        return due.Count;
    }
}
