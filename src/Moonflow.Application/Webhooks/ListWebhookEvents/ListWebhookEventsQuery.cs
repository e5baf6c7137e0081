using MediatR;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Webhooks;

namespace Moonflow.Application.Webhooks.ListWebhookEvents;

/// <summary>The events an endpoint can subscribe to, from the one catalogue (<see cref="WebhookEvents"/>).</summary>
[AnySignedInCaller]
public sealed record ListWebhookEventsQuery : IRequest<IReadOnlyList<WebhookEventType>>;

public sealed class ListWebhookEventsQueryHandler : IRequestHandler<ListWebhookEventsQuery, IReadOnlyList<WebhookEventType>>
{
    public Task<IReadOnlyList<WebhookEventType>> Handle(ListWebhookEventsQuery request, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<WebhookEventType>>(WebhookEvents.Subscribable.ToList());
}
