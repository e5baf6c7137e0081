using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Localization;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes.GetProcess;

[RequiresPermission(Permissions.ProcessesRead)]
public sealed record GetProcessQuery(Guid ProcessId) : IRequest<ProcessDto>;

public sealed class GetProcessQueryHandler(IReadStore store, ICurrentUser user, TimeProvider clock, Texts? texts = null)
    : IRequestHandler<GetProcessQuery, ProcessDto>
{
    public async Task<ProcessDto> Handle(GetProcessQuery request, CancellationToken cancellationToken)
    {
        var process = await store.FirstOrDefaultAsync(
            store.Query<BulkProcess>().VisibleTo(user).Where(p => p.Id == request.ProcessId), cancellationToken);
        return process?.ToDto(clock.GetUtcNow(), texts ?? Texts.Default) ?? throw new NotFoundException("Process", request.ProcessId);
    }
}
