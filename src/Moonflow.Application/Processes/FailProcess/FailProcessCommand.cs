using MediatR;
using Moonflow.Application.Common.Behaviours;

namespace Moonflow.Application.Processes.FailProcess;

/// <summary>The job gave up on a process (its retries ran out): it ends Failed with a reason, and the requester is told.</summary>
public sealed record FailProcessCommand(Guid ProcessId, string Reason) : IRequest<Unit>, ITransactionalCommand;

public sealed class FailProcessCommandHandler(IBulkProcessRepository processes, ProcessFinisher finisher, TimeProvider clock)
    : IRequestHandler<FailProcessCommand, Unit>
{
    public async Task<Unit> Handle(FailProcessCommand request, CancellationToken cancellationToken)
    {
        var process = await processes.LockAsync(request.ProcessId, cancellationToken);
        if (process is { IsFinished: false })
        {
            process.Fail(request.Reason, clock.GetUtcNow());
            await finisher.FinishAsync(process, cancellationToken);
        }

        return Unit.Value;
    }
}
