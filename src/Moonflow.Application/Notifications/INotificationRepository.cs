using Moonflow.Domain.Notifications;

namespace Moonflow.Application.Notifications;

public interface INotificationRepository
{
    void Add(Notification notification);

    Task<Notification?> GetAsync(Guid id, CancellationToken cancellationToken);
}
