using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Exports.RunDeferredExports;

/// <summary>Operational lever: runs the tenant's pending deferred downloads now instead of in the nightly window.</summary>
[RequiresPermission(Permissions.ExportsRunDeferred)]
public sealed record RunDeferredExportsCommand : IRequest<IReadOnlyList<Guid>>, ITransactionalCommand;

public sealed class RunDeferredExportsCommandHandler(
    IExportRequestRepository exports, IBulkProcessRepository processes, IProcessDispatcher dispatcher, IUnitOfWork unitOfWork, ICurrentUser user,
    TimeProvider clock) : IRequestHandler<RunDeferredExportsCommand, IReadOnlyList<Guid>>
{
    public async Task<IReadOnlyList<Guid>> Handle(RunDeferredExportsCommand request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var pending = await exports.FindPendingDeferredAsync(cancellationToken);
        foreach (var export in pending)
        {
            export.RunNow(now);
            var process = await processes.GetAsync(export.ProcessId, cancellationToken);
            if (process is { IsFinished: false, JobId: null })
            {
                process.Schedule(null);
                var (tenantId, processId) = (user.TenantId, process.Id);
                unitOfWork.AfterCommit(() => dispatcher.DispatchAsync(tenantId, processId, CancellationToken.None));
            }
        }

        return pending.Select(e => e.Id).ToList();
    }
}
