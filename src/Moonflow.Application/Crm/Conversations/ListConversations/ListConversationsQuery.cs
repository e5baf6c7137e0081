using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Conversations.ListConversations;

/// <summary>Digital-channel conversations, newest first, by status and channel.</summary>
[RequiresPermission(Permissions.CrmRead)]
public sealed record ListConversationsQuery(ConversationStatus? Status, ConversationChannel? Channel, string? Cursor = null, int Limit = Cursor.DefaultLimit)
    : IPagedRequest, IRequest<Page<ConversationDto>>;

public sealed class ListConversationsQueryValidator : AbstractValidator<ListConversationsQuery>
{
    public ListConversationsQueryValidator()
    {
        this.AddPagingRules();
        RuleFor(q => q.Status).IsInEnum();
        RuleFor(q => q.Channel).IsInEnum();
    }
}

public sealed class ListConversationsQueryHandler(IReadStore store) : IRequestHandler<ListConversationsQuery, Page<ConversationDto>>
{
    public async Task<Page<ConversationDto>> Handle(ListConversationsQuery request, CancellationToken cancellationToken)
    {
        var query = store.Query<Conversation>();
        if (request.Status is { } status)
        {
            query = query.Where(c => c.Status == status);
        }

        if (request.Channel is { } channel)
        {
            query = query.Where(c => c.Channel == channel);
        }

        if (Cursor.TryDecode(request.Cursor, out var after))
        {
            query = query.Where(c => c.Id.CompareTo(after.Id) < 0);
        }

        var rows = await store.ToListAsync(query.OrderByDescending(c => c.Id).Take(request.Limit + 1).Select(ConversationDto.Projection), cancellationToken);
        return Cursor.ToPage(rows, request.Limit, c => new Cursor(c.OpenedAt, c.Id));
    }
}
