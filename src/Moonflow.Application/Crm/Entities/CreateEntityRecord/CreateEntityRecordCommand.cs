using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Entities.CreateEntityRecord;

/// <summary>One record of an entity, its values given as text and stored typed by the entity's fields.</summary>
[RequiresPermission(Permissions.CrmWrite)]
public sealed record CreateEntityRecordCommand(Guid EntityId, Guid? ContactId, IReadOnlyDictionary<string, string?> Values)
    : IRequest<EntityRecordDto>, ITransactionalCommand;

public sealed class CreateEntityRecordCommandValidator : AbstractValidator<CreateEntityRecordCommand>
{
    public CreateEntityRecordCommandValidator() => RuleFor(c => c.Values).NotNull();
}

public sealed class CreateEntityRecordCommandHandler(ICrmRepository crm, CrmReferences references, TimeProvider clock)
    : IRequestHandler<CreateEntityRecordCommand, EntityRecordDto>
{
    public async Task<EntityRecordDto> Handle(CreateEntityRecordCommand request, CancellationToken cancellationToken)
    {
        var entity = await crm.GetEntityAsync(request.EntityId, cancellationToken) ?? throw new NotFoundException("Entity", request.EntityId);
        await references.ContactAsync(request.ContactId, cancellationToken);
        var record = entity.NewRecord(request.ContactId, request.Values, clock.GetUtcNow());
        crm.Add(record);
        return EntityRecordDto.Projection.Compile()(record);
    }
}
