using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Webhooks;

namespace Moonflow.Application.Webhooks.ListWebhookDeliveries;

/// <summary>An endpoint's delivery log, newest first, one page at a time.</summary>
[RequiresPermission(Permissions.WebhooksManage)]
public sealed record ListWebhookDeliveriesQuery(Guid WebhookId, string? Cursor = null, int Limit = Cursor.DefaultLimit)
    : IPagedRequest, IRequest<Page<WebhookDeliveryDto>>;

public sealed class ListWebhookDeliveriesQueryValidator : AbstractValidator<ListWebhookDeliveriesQuery>
{
    public ListWebhookDeliveriesQueryValidator()
    {
        this.AddPagingRules();
    }
}

public sealed class ListWebhookDeliveriesQueryHandler(IReadStore store) : IRequestHandler<ListWebhookDeliveriesQuery, Page<WebhookDeliveryDto>>
{
    public async Task<Page<WebhookDeliveryDto>> Handle(ListWebhookDeliveriesQuery request, CancellationToken cancellationToken)
    {
        // The tenant filter hides other tenants' endpoints: theirs are as unknown as made-up ids.
        if (await store.CountAsync(store.Query<WebhookEndpoint>().Where(e => e.Id == request.WebhookId), cancellationToken) == 0)
        {
            throw new NotFoundException("Webhook", request.WebhookId);
        }

        var query = store.Query<WebhookDelivery>().Where(d => d.EndpointId == request.WebhookId);
        if (Cursor.TryDecode(request.Cursor, out var after))
        {
            query = query.Where(d => d.Id.CompareTo(after.Id) < 0);
        }

        var rows = await store.ToListAsync(query.OrderByDescending(d => d.Id).Take(request.Limit + 1).Select(WebhookProjections.Delivery), cancellationToken);
        return Cursor.ToPage(rows, request.Limit, d => new Cursor(d.CreatedAt, d.Id));
    }
}
