using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Notifications.MarkNotificationRead;

[RequiresPermission(Permissions.NotificationsRead)]
public sealed record MarkNotificationReadCommand(Guid NotificationId) : IRequest<Unit>, ITransactionalCommand;

public sealed class MarkNotificationReadCommandHandler(INotificationRepository notifications, ICurrentUser user, TimeProvider clock)
    : IRequestHandler<MarkNotificationReadCommand, Unit>
{
    public async Task<Unit> Handle(MarkNotificationReadCommand request, CancellationToken cancellationToken)
    {
        var notification = await notifications.GetAsync(request.NotificationId, cancellationToken);
        if (notification is null || notification.UserId != user.ActorId)
        {
            throw new NotFoundException("Notification", request.NotificationId);
        }

        notification.MarkRead(clock.GetUtcNow());
        return Unit.Value;
    }
}
