using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Entities.CreateEntity;

[RequiresPermission(Permissions.CrmProcesses)]
public sealed record CreateEntityCommand(string Name, IReadOnlyList<EntityField> Fields) : IRequest<EntityDto>, ITransactionalCommand;

public sealed class CreateEntityCommandValidator : AbstractValidator<CreateEntityCommand>
{
    public CreateEntityCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
        RuleFor(c => c.Fields).NotNull();
        RuleForEach(c => c.Fields).ChildRules(field => field.RuleFor(f => f.Type).IsInEnum());
    }
}

public sealed class CreateEntityCommandHandler(ICrmRepository crm, IReadStore store, ICurrentUser user, TimeProvider clock)
    : IRequestHandler<CreateEntityCommand, EntityDto>
{
    public async Task<EntityDto> Handle(CreateEntityCommand request, CancellationToken cancellationToken)
    {
        var name = request.Name.Trim();
        if (await store.CountAsync(store.Query<CrmEntity>().Where(e => e.Name == name), cancellationToken) > 0)
        {
            throw new ConflictException("entity_exists", $"An entity named '{name}' already exists.");
        }

        var entity = CrmEntity.Define(user.TenantId, name, request.Fields, clock.GetUtcNow());
        crm.Add(entity);
        return EntityDto.Projection.Compile()(entity);
    }
}
