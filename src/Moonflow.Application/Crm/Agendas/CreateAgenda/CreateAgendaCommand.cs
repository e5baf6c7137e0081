using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Agendas.CreateAgenda;

/// <summary>Schedules a callback; the owner is the caller unless a supervisor names another active user.</summary>
[RequiresPermission(Permissions.CrmWrite)]
public sealed record CreateAgendaCommand(Guid ContactId, Guid? OwnerId, DateTimeOffset DueAt, string? Note) : IRequest<AgendaDto>, ITransactionalCommand;

public sealed class CreateAgendaCommandValidator : AbstractValidator<CreateAgendaCommand>
{
    public CreateAgendaCommandValidator()
    {
        RuleFor(c => c.ContactId).NotEmpty();
        RuleFor(c => c.DueAt).NotEmpty();
        RuleFor(c => c.Note).MaximumLength(2000);
    }
}

public sealed class CreateAgendaCommandHandler(ICrmRepository crm, CrmReferences references, ICurrentUser user, TimeProvider clock)
    : IRequestHandler<CreateAgendaCommand, AgendaDto>
{
    public async Task<AgendaDto> Handle(CreateAgendaCommand request, CancellationToken cancellationToken)
    {
        var owner = request.OwnerId ?? user.UserId ?? throw new Domain.Common.DomainValidationException("ownerId", "Name the agenda's owner.");
        if (owner != user.UserId && !user.SeesEveryAgenda())
        {
            throw new ForbiddenException("Agents schedule agendas for themselves only.");
        }

        await references.ContactAsync(request.ContactId, cancellationToken);
        await references.UsersAsync([owner], "ownerId", mustBeActive: true, cancellationToken);
        var agenda = Agenda.Schedule(user.TenantId, request.ContactId, owner, request.DueAt, request.Note, clock.GetUtcNow());
        crm.Add(agenda);
        return AgendaDto.Projection.Compile()(agenda);
    }
}
