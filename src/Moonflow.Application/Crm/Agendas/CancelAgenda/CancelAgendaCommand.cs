using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Agendas.CancelAgenda;

[RequiresPermission(Permissions.CrmWrite)]
public sealed record CancelAgendaCommand(Guid AgendaId) : IRequest<AgendaDto>, ITransactionalCommand;

public sealed class CancelAgendaCommandHandler(ICrmRepository crm, ICurrentUser user, TimeProvider clock) : IRequestHandler<CancelAgendaCommand, AgendaDto>
{
    public async Task<AgendaDto> Handle(CancelAgendaCommand request, CancellationToken cancellationToken)
    {
        var agenda = (await crm.GetAgendaAsync(request.AgendaId, cancellationToken)).VisibleTo(user, request.AgendaId);
        agenda.Cancel(user.ActorId, clock.GetUtcNow());
        return AgendaDto.Projection.Compile()(agenda);
    }
}
