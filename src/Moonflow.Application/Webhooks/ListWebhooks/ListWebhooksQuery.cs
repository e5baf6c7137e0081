using MediatR;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Webhooks;

namespace Moonflow.Application.Webhooks.ListWebhooks;

/// <summary>The tenant's endpoints, oldest first (a tenant has a handful).</summary>
[RequiresPermission(Permissions.WebhooksManage)]
public sealed record ListWebhooksQuery : IRequest<IReadOnlyList<WebhookDto>>;

public sealed class ListWebhooksQueryHandler(IReadStore store) : IRequestHandler<ListWebhooksQuery, IReadOnlyList<WebhookDto>>
{
    public async Task<IReadOnlyList<WebhookDto>> Handle(ListWebhooksQuery request, CancellationToken cancellationToken)
    {
        var rows = await store.ToListAsync(store.Query<WebhookEndpoint>().OrderBy(e => e.Id), cancellationToken);
        return rows.Select(e => e.ToDto()).ToList();
    }
}
