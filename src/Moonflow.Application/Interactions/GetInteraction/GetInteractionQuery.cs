using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Interactions;

namespace Moonflow.Application.Interactions.GetInteraction;

[RequiresPermission(Permissions.InteractionsRead)]
public sealed record GetInteractionQuery(Guid InteractionId) : IRequest<InteractionDto>;

public sealed class GetInteractionQueryHandler(IReadStore store) : IRequestHandler<GetInteractionQuery, InteractionDto>
{
    public async Task<InteractionDto> Handle(GetInteractionQuery request, CancellationToken cancellationToken) =>
        await store.FirstOrDefaultAsync(
            store.Query<Interaction>().Where(i => i.Id == request.InteractionId).Select(InteractionDto.Projection), cancellationToken)
        ?? throw new NotFoundException("Interaction", request.InteractionId);
}
