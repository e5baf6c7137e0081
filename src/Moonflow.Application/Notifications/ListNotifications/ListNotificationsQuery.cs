using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Localization;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Notifications;

namespace Moonflow.Application.Notifications.ListNotifications;

/// <summary>The caller's bell, newest first.</summary>
[RequiresPermission(Permissions.NotificationsRead)]
public sealed record ListNotificationsQuery(bool UnreadOnly = false, string? Cursor = null, int Limit = Cursor.DefaultLimit)
    : IPagedRequest, IRequest<Page<NotificationDto>>;

public sealed record NotificationDto(Guid Id, string Title, string Message, Guid? ProcessId, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

public sealed class ListNotificationsQueryValidator : AbstractValidator<ListNotificationsQuery>
{
    public ListNotificationsQueryValidator()
    {
        this.AddPagingRules();
    }
}

public sealed class ListNotificationsQueryHandler(IReadStore store, ICurrentUser user, Texts? texts = null)
    : IRequestHandler<ListNotificationsQuery, Page<NotificationDto>>
{
    public async Task<Page<NotificationDto>> Handle(ListNotificationsQuery request, CancellationToken cancellationToken)
    {
        var query = store.Query<Notification>().Where(n => n.UserId == user.ActorId);
        if (request.UnreadOnly)
        {
            query = query.Where(n => n.ReadAt == null);
        }

        if (Cursor.TryDecode(request.Cursor, out var after))
        {
            query = query.Where(n => n.Id.CompareTo(after.Id) < 0);
        }

        var rows = await store.ToListAsync(query.OrderByDescending(n => n.Id).Take(request.Limit + 1), cancellationToken);

        // Said in the reader's language when read; rows older than their keyed texts read as they were written.
        var notifications = rows
            .Select(n => new NotificationDto(n.Id, (texts ?? Texts.Default).Say(n.TitleText, n.Title), (texts ?? Texts.Default).Say(n.MessageText, n.Message), n.ProcessId, n.CreatedAt, n.ReadAt))
            .ToList();
        return Cursor.ToPage(notifications, request.Limit, n => new Cursor(n.CreatedAt, n.Id));
    }
}
