using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Webhooks;

namespace Moonflow.Application.Webhooks.TestWebhook;

/// <summary>Sends a <c>ping</c> to the endpoint (enabled or not), delivered and logged like any event.</summary>
[RequiresPermission(Permissions.WebhooksManage)]
public sealed record TestWebhookCommand(Guid Id) : IRequest<WebhookDeliveryDto>, ITransactionalCommand;

public sealed class TestWebhookCommandHandler(
    IWebhookEndpointRepository endpoints, IWebhookDeliveryRepository deliveries, IWebhookDispatcher dispatcher, IUnitOfWork unitOfWork,
    ICurrentUser caller, TimeProvider clock) : IRequestHandler<TestWebhookCommand, WebhookDeliveryDto>
{
    public async Task<WebhookDeliveryDto> Handle(TestWebhookCommand request, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.GetAsync(request.Id, cancellationToken) ?? throw new NotFoundException("Webhook", request.Id);
        var now = clock.GetUtcNow();
        var delivery = WebhookDelivery.Create(
            caller.TenantId, endpoint.Id, WebhookEvents.Ping.Name,
            WebhookPayload.Serialize(WebhookEvents.Ping, now, new { webhookId = endpoint.Id, message = "Moonflow webhook test" }), now);
        deliveries.Add(delivery);
        unitOfWork.AfterCommit(() =>
        {
            dispatcher.Dispatch(delivery.TenantId, delivery.Id, TimeSpan.Zero);
            return Task.CompletedTask;
        });
        return WebhookProjections.ToDeliveryDto(delivery);
    }
}
