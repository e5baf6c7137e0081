using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm;

/// <summary>
/// Checks that ids a CRM request names belong to the caller's tenant (the tenant filter hides the rest): another tenant's
/// base, lot, subcategory or user is reported exactly like one that does not exist, 404.
/// </summary>
public sealed class CrmReferences(IReadStore store)
{
    public Task BaseAsync(Guid? id, CancellationToken cancellationToken) =>
        ExistsAsync(id, ids => store.Query<CampaignBase>().Where(b => ids.Contains(b.Id)).Select(b => b.Id), "Base", cancellationToken);

    public Task LotAsync(Guid? id, CancellationToken cancellationToken) =>
        ExistsAsync(id, ids => store.Query<Lot>().Where(l => ids.Contains(l.Id)).Select(l => l.Id), "Lot", cancellationToken);

    public Task SubcategoriesAsync(IEnumerable<Guid?>? ids, CancellationToken cancellationToken) =>
        AllExistAsync(ids, list => store.Query<Subcategory>().Where(s => list.Contains(s.Id)).Select(s => s.Id), "Subcategory", cancellationToken);

    public Task BasesAsync(IEnumerable<Guid?>? ids, CancellationToken cancellationToken) =>
        AllExistAsync(ids, list => store.Query<CampaignBase>().Where(b => list.Contains(b.Id)).Select(b => b.Id), "Base", cancellationToken);

    public Task ContactAsync(Guid? id, CancellationToken cancellationToken) =>
        ExistsAsync(id, ids => store.Query<Contact>().Where(c => ids.Contains(c.Id)).Select(c => c.Id), "Contact", cancellationToken);

    /// <summary>Users of the tenant; <paramref name="mustBeActive"/>: an inactive one is a 400 naming <paramref name="field"/>.</summary>
    public async Task UsersAsync(IEnumerable<Guid?>? ids, string field, bool mustBeActive, CancellationToken cancellationToken)
    {
        var wanted = ids?.OfType<Guid>().Distinct().ToList() ?? [];
        if (wanted.Count == 0)
        {
            return;
        }

        var found = await store.ToListAsync(store.Query<User>().Where(u => wanted.Contains(u.Id)).Select(u => new { u.Id, u.IsActive }), cancellationToken);
        var missing = wanted.FirstOrDefault(id => found.All(f => f.Id != id));
        if (missing != Guid.Empty)
        {
            throw new NotFoundException("User", missing);
        }

        var inactive = found.FirstOrDefault(f => !f.IsActive);
        if (mustBeActive && inactive is not null)
        {
            throw new Domain.Common.DomainValidationException(field, $"The user {inactive.Id} is inactive; agendas go to active users only.");
        }
    }

    private Task ExistsAsync(Guid? id, Func<List<Guid>, IQueryable<Guid>> query, string resource, CancellationToken cancellationToken) =>
        AllExistAsync(id is null ? null : [id], query, resource, cancellationToken);

    private async Task AllExistAsync(IEnumerable<Guid?>? ids, Func<List<Guid>, IQueryable<Guid>> query, string resource, CancellationToken cancellationToken)
    {
        var wanted = ids?.OfType<Guid>().Distinct().ToList() ?? [];
        if (wanted.Count == 0)
        {
            return;
        }

        var found = await store.ToListAsync(query(wanted), cancellationToken);
        var missing = wanted.FirstOrDefault(id => !found.Contains(id));
        if (missing != Guid.Empty)
        {
            throw new NotFoundException(resource, missing);
        }
    }
}
