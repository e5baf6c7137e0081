using MediatR;
using Microsoft.Extensions.Options;

namespace Moonflow.Application.Webhooks.SweepWebhookOutbox;

/// <summary>
/// The safety net of the outbox: deliveries due for a while that nobody is attempting (the job enqueued after their commit
/// was lost, or a worker died mid-attempt) are handed to the job engine again. Returns how many.
/// </summary>
public sealed record SweepWebhookOutboxCommand : IRequest<int>;

public sealed class SweepWebhookOutboxCommandHandler(IWebhookDeliveryRepository deliveries, IWebhookDispatcher dispatcher, IOptions<WebhookOptions> options, TimeProvider clock)
    : IRequestHandler<SweepWebhookOutboxCommand, int>
{
    public async Task<int> Handle(SweepWebhookOutboxCommand request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var stranded = await deliveries.FindStrandedAsync(now - options.Value.SweepGrace, now, 1000, cancellationToken);
        foreach (var (tenantId, deliveryId) in stranded)
        {
            dispatcher.Dispatch(tenantId, deliveryId, TimeSpan.Zero);
        }

        return stranded.Count;
    }
}
