using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Lots.CreateLot;

/// <summary>An empty lot to load contacts into (the contact imports of the next issue fill lots).</summary>
[RequiresPermission(Permissions.CrmProcesses)]
public sealed record CreateLotCommand(string Name) : IRequest<LotDto>, ITransactionalCommand;

public sealed class CreateLotCommandValidator : AbstractValidator<CreateLotCommand>
{
    public CreateLotCommandValidator() => RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
}

public sealed class CreateLotCommandHandler(ICrmRepository crm, ICurrentUser user, TimeProvider clock) : IRequestHandler<CreateLotCommand, LotDto>
{
    public Task<LotDto> Handle(CreateLotCommand request, CancellationToken cancellationToken)
    {
        var lot = Lot.Create(user.TenantId, request.Name, clock.GetUtcNow());
        crm.Add(lot);
        return Task.FromResult(new LotDto(lot.Id, lot.Name, lot.LoadedAt, 0));
    }
}
