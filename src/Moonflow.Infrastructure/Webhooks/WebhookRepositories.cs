using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Webhooks;
using Moonflow.Domain.Webhooks;
using Moonflow.Infrastructure.Persistence;

namespace Moonflow.Infrastructure.Webhooks;

internal sealed class WebhookEndpointRepository(MoonflowDbContext db) : IWebhookEndpointRepository
{
    public void Add(WebhookEndpoint endpoint) => db.Add(endpoint);

    public void Remove(WebhookEndpoint endpoint) => db.Remove(endpoint);

    public Task<WebhookEndpoint?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<WebhookEndpoint>().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);

    public async Task<IReadOnlyList<WebhookEndpoint>> SubscribedToAsync(string eventType, CancellationToken cancellationToken) =>
        await db.Set<WebhookEndpoint>().AsNoTracking().Where(e => e.Enabled && e.Events.Contains(eventType)).ToListAsync(cancellationToken);
}

internal sealed class WebhookDeliveryRepository(MoonflowDbContext db) : IWebhookDeliveryRepository
{
    public void Add(WebhookDelivery delivery) => db.Add(delivery);

    public Task<WebhookDelivery?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<WebhookDelivery>().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);

    public async Task<WebhookDelivery?> LockAsync(Guid id, CancellationToken cancellationToken)
    {
        // SKIP LOCKED: a second job for the same delivery does not queue behind the first; it finds nothing to do.
        var locked = await db.Set<WebhookDelivery>()
            .FromSql($"SELECT * FROM webhooks.deliveries WHERE id = {id} AND tenant_id = {db.CurrentTenantId} FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        return locked.Count == 0 ? null : locked[0];
    }

    public async Task<IReadOnlyList<(Guid TenantId, Guid DeliveryId)>> FindStrandedAsync(
        DateTimeOffset dueBefore, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var rows = await db.Set<WebhookDelivery>().IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= dueBefore && (d.ClaimedUntil == null || d.ClaimedUntil <= now))
            .OrderBy(d => d.NextAttemptAt)
            .Take(limit)
            .Select(d => new { d.TenantId, d.Id })
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.TenantId, r.Id)).ToList();
    }
}
