using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Notifications;
using Moonflow.Domain.Notifications;

namespace Moonflow.Application.Processes.FailProcess;

/// <summary>The job gave up on a process (its retries ran out): it ends Failed with a reason, and the requester is told.</summary>
public sealed record FailProcessCommand(Guid ProcessId, string Reason) : IRequest<Unit>, ITransactionalCommand;

public sealed class FailProcessCommandHandler(IBulkProcessRepository processes, INotificationRepository notifications, TimeProvider clock)
    : IRequestHandler<FailProcessCommand, Unit>
{
    public async Task<Unit> Handle(FailProcessCommand request, CancellationToken cancellationToken)
    {
        var process = await processes.LockAsync(request.ProcessId, cancellationToken);
        if (process is { IsFinished: false })
        {
            var now = clock.GetUtcNow();
            process.Fail(request.Reason, now);
            notifications.Add(Notification.ProcessFinished(process, now));
        }

        return Unit.Value;
    }
}
