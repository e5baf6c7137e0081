using MediatR;
using Moonflow.Api.Infrastructure.OpenApi;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Notifications.ListNotifications;
using Moonflow.Application.Notifications.MarkNotificationRead;

namespace Moonflow.Api.Notifications;

internal static class NotificationsEndpoints
{
    public static void MapNotificationsEndpoints(this RouteGroupBuilder api)
    {
        var notifications = api.MapGroup("/notifications").WithTag("Notifications", "The caller's notifications, e.g. a process that finished, with links to its files.");
        notifications.MapGet("/", (bool? unreadOnly, string? cursor, int? limit, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListNotificationsQuery(unreadOnly ?? false, cursor, limit ?? Cursor.DefaultLimit), ct))
            .WithName("ListNotifications")
            .WithSummary("The caller's notifications (the bell), newest first.")
            .Produces<Page<NotificationDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        notifications.MapPost("/{id:guid}/read", async (Guid id, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new MarkNotificationReadCommand(id), ct);
                return TypedResults.NoContent();
            })
            .WithName("MarkNotificationRead")
            .WithSummary("Mark a notification as read.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
