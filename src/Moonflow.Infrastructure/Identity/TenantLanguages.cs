using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Moonflow.Domain.Identity;
using Moonflow.Infrastructure.Persistence;

namespace Moonflow.Infrastructure.Identity;

/// <summary>
/// The language of each tenant (<see cref="Tenant.Language"/>), for answering a request that sends no <c>Accept-Language</c>.
/// Read on most requests, so it is kept in memory for <see cref="Lifetime"/> per tenant: a change made on this node is
/// seen at once (<see cref="Forget"/>), one made on another node within that time.
/// </summary>
public sealed class TenantLanguages(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _byClaim = new(StringComparer.Ordinal);

    /// <summary>The language of the tenant a token names (its slug) or an API key names (its id); null for an unknown tenant.</summary>
    public async ValueTask<string?> FindAsync(string tenantClaim, MoonflowDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_byClaim.TryGetValue(tenantClaim, out var cached) && cached.Expires > now)
        {
            return cached.Language;
        }

        var tenants = db.Set<Tenant>().AsNoTracking();
        var found = Guid.TryParse(tenantClaim, out var id)
            ? await tenants.Where(t => t.Id == id).Select(t => new { t.Id, t.Language }).FirstOrDefaultAsync(cancellationToken)
            : await tenants.Where(t => t.Slug == tenantClaim).Select(t => new { t.Id, t.Language }).FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        _byClaim[tenantClaim] = new Entry(found.Id, found.Language, now + Lifetime);
        return found.Language;
    }

    /// <summary>Drops what this node remembers of a tenant, after its language changed.</summary>
    public void Forget(Guid tenantId)
    {
        foreach (var (claim, entry) in _byClaim)
        {
            if (entry.TenantId == tenantId)
            {
                _byClaim.TryRemove(claim, out _);
            }
        }
    }

    private sealed record Entry(Guid TenantId, string Language, DateTimeOffset Expires);
}
