using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Agendas;

/// <summary>Supervisors (who may run CRM processes) see every agenda; agents see, schedule and close their own.</summary>
public static class AgendaAccess
{
    public static bool SeesEveryAgenda(this ICurrentUser user) => user.Has(Permissions.CrmProcesses);

    /// <summary>An agenda the caller may not see is reported as missing, like another tenant's.</summary>
    public static Agenda VisibleTo(this Agenda? agenda, ICurrentUser user, Guid id) =>
        agenda is not null && Agenda.IsVisibleTo(agenda.OwnerId, user.UserId, user.SeesEveryAgenda()) ? agenda : throw new NotFoundException("Agenda", id);
}
