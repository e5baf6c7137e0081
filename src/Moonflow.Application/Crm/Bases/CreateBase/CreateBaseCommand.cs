using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Bases.CreateBase;

[RequiresPermission(Permissions.CrmProcesses)]
public sealed record CreateBaseCommand(string Name) : IRequest<BaseDto>, ITransactionalCommand;

public sealed class CreateBaseCommandValidator : AbstractValidator<CreateBaseCommand>
{
    public CreateBaseCommandValidator() => RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
}

public sealed class CreateBaseCommandHandler(ICrmRepository crm, IReadStore store, ICurrentUser user, TimeProvider clock)
    : IRequestHandler<CreateBaseCommand, BaseDto>
{
    public async Task<BaseDto> Handle(CreateBaseCommand request, CancellationToken cancellationToken)
    {
        var name = request.Name.Trim();
        if (await store.CountAsync(store.Query<CampaignBase>().Where(b => b.Name == name), cancellationToken) > 0)
        {
            throw new ConflictException("base_exists", $"A base named '{name}' already exists.");
        }

        var created = CampaignBase.Create(user.TenantId, name, clock.GetUtcNow());
        crm.Add(created);
        return new BaseDto(created.Id, created.Name, 0, created.CreatedAt);
    }
}
