using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Webhooks.RedeliverWebhook;

/// <summary>Sends a delivery again (same <c>webhook-id</c>, same body) with a fresh schedule of attempts.</summary>
[RequiresPermission(Permissions.WebhooksManage)]
public sealed record RedeliverWebhookCommand(Guid WebhookId, Guid DeliveryId) : IRequest<WebhookDeliveryDto>, ITransactionalCommand;

public sealed class RedeliverWebhookCommandHandler(IWebhookDeliveryRepository deliveries, IWebhookDispatcher dispatcher, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<RedeliverWebhookCommand, WebhookDeliveryDto>
{
    public async Task<WebhookDeliveryDto> Handle(RedeliverWebhookCommand request, CancellationToken cancellationToken)
    {
        var delivery = await deliveries.GetAsync(request.DeliveryId, cancellationToken);
        if (delivery is null || delivery.EndpointId != request.WebhookId)
        {
            throw new NotFoundException("Webhook delivery", request.DeliveryId);
        }

        delivery.Redeliver(clock.GetUtcNow());
        unitOfWork.AfterCommit(() =>
        {
            dispatcher.Dispatch(delivery.TenantId, delivery.Id, TimeSpan.Zero);
            return Task.CompletedTask;
        });
        return WebhookProjections.ToDeliveryDto(delivery);
    }
}
