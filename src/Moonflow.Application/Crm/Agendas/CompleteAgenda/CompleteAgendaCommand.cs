using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Agendas.CompleteAgenda;

[RequiresPermission(Permissions.CrmWrite)]
public sealed record CompleteAgendaCommand(Guid AgendaId) : IRequest<AgendaDto>, ITransactionalCommand;

public sealed class CompleteAgendaCommandHandler(ICrmRepository crm, ICurrentUser user, TimeProvider clock) : IRequestHandler<CompleteAgendaCommand, AgendaDto>
{
    public async Task<AgendaDto> Handle(CompleteAgendaCommand request, CancellationToken cancellationToken)
    {
        var agenda = (await crm.GetAgendaAsync(request.AgendaId, cancellationToken)).VisibleTo(user, request.AgendaId);
        agenda.Complete(user.ActorId, clock.GetUtcNow());
        return AgendaDto.Projection.Compile()(agenda);
    }
}
