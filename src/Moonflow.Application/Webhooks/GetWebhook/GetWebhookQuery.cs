using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Webhooks;

namespace Moonflow.Application.Webhooks.GetWebhook;

[RequiresPermission(Permissions.WebhooksManage)]
public sealed record GetWebhookQuery(Guid Id) : IRequest<WebhookDto>;

public sealed class GetWebhookQueryHandler(IReadStore store) : IRequestHandler<GetWebhookQuery, WebhookDto>
{
    public async Task<WebhookDto> Handle(GetWebhookQuery request, CancellationToken cancellationToken)
    {
        var endpoint = await store.FirstOrDefaultAsync(store.Query<WebhookEndpoint>().Where(e => e.Id == request.Id), cancellationToken);
        return endpoint?.ToDto() ?? throw new NotFoundException("Webhook", request.Id);
    }
}
