using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Conversations.GetConversation;

[RequiresPermission(Permissions.CrmRead)]
public sealed record GetConversationQuery(Guid ConversationId) : IRequest<ConversationDto>;

public sealed class GetConversationQueryHandler(IReadStore store) : IRequestHandler<GetConversationQuery, ConversationDto>
{
    public async Task<ConversationDto> Handle(GetConversationQuery request, CancellationToken cancellationToken) =>
        await store.FirstOrDefaultAsync(store.Query<Conversation>().Where(c => c.Id == request.ConversationId).Select(ConversationDto.Projection), cancellationToken)
        ?? throw new NotFoundException("Conversation", request.ConversationId);
}
