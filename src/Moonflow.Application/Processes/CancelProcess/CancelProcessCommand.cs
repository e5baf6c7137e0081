using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Localization;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Processes.CancelProcess;

/// <summary>The requester or an admin stops a process; committed work stays, the rest stops at the next checkpoint.</summary>
[RequiresPermission(Permissions.ProcessesRead)]
public sealed record CancelProcessCommand(Guid ProcessId) : IRequest<ProcessDto>, ITransactionalCommand;

public sealed class CancelProcessCommandHandler(
    IBulkProcessRepository processes, ProcessFinisher finisher, ICurrentUser user, TimeProvider clock, Texts? texts = null)
    : IRequestHandler<CancelProcessCommand, ProcessDto>
{
    public async Task<ProcessDto> Handle(CancelProcessCommand request, CancellationToken cancellationToken)
    {
        var process = await processes.LockAsync(request.ProcessId, cancellationToken);
        var mayCancel = process is not null && (process.RequestedBy == user.ActorId || user.Has(Permissions.ProcessesCancelAny));
        if (process is null || !(mayCancel || user.Has(Permissions.ProcessesReadAll)))
        {
            throw new NotFoundException("Process", request.ProcessId);
        }

        if (!mayCancel)
        {
            throw new ForbiddenException("Only the requester or an admin can cancel this process.");
        }

        var now = clock.GetUtcNow();
        if (process.RequestCancellation(now))
        {
            await finisher.FinishAsync(process, cancellationToken);
        }

        return process.ToDto(now, texts ?? Texts.Default);
    }
}
