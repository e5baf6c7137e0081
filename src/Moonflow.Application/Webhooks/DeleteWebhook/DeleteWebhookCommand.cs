using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Webhooks.DeleteWebhook;

/// <summary>Removes an endpoint with its delivery log; attempts in flight find it gone and stop.</summary>
[RequiresPermission(Permissions.WebhooksManage)]
public sealed record DeleteWebhookCommand(Guid Id) : IRequest<Unit>, ITransactionalCommand;

public sealed class DeleteWebhookCommandHandler(IWebhookEndpointRepository endpoints) : IRequestHandler<DeleteWebhookCommand, Unit>
{
    public async Task<Unit> Handle(DeleteWebhookCommand request, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.GetAsync(request.Id, cancellationToken) ?? throw new NotFoundException("Webhook", request.Id);
        endpoints.Remove(endpoint);
        return Unit.Value;
    }
}
