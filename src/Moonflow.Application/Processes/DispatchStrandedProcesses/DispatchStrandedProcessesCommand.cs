using MediatR;
using Microsoft.Extensions.Options;

namespace Moonflow.Application.Processes.DispatchStrandedProcesses;

/// <summary>
/// Recurring safety net: a process saved as queued whose job was never enqueued (the node died between the
/// commit and the enqueue) is dispatched again. Re-dispatching is harmless: runs are re-entrant.
/// </summary>
public sealed record DispatchStrandedProcessesCommand : IRequest<int>;

public sealed class DispatchStrandedProcessesCommandHandler(
    IBulkProcessRepository processes, IProcessDispatcher dispatcher, IOptions<ProcessOptions> options, TimeProvider clock)
    : IRequestHandler<DispatchStrandedProcessesCommand, int>
{
    public async Task<int> Handle(DispatchStrandedProcessesCommand request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var stranded = await processes.FindUndispatchedAsync(now - options.Value.DispatchGrace, now, cancellationToken);
        foreach (var (tenantId, processId) in stranded)
        {
            await dispatcher.DispatchAsync(tenantId, processId, cancellationToken);
        }

        return stranded.Count;
    }
}
