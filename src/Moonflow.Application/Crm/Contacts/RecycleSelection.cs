using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Time;
using Moonflow.Application.Common.Trays;
using Moonflow.Domain.Crm;

namespace Moonflow.Application.Crm.Contacts;

/// <summary>What a recycle or reprocess would do, before anything runs; a run right after counts the same.</summary>
public sealed record RecyclePreview(long Matched, long DoNotCall, long WillChange);

/// <summary>
/// The contacts a recycle or reprocess takes, as one query: the preview counts it and the process freezes it, so the
/// two cannot disagree. Dates are the tenant's days.
/// </summary>
public sealed class RecycleSelection(IReadStore store, TenantCalendar calendar, CrmReferences references)
{
    public async Task<IQueryable<Contact>> MatchingAsync(RecycleCriteria criteria, CancellationToken cancellationToken)
    {
        await references.BaseAsync(criteria.BaseId, cancellationToken);
        await references.UsersAsync(criteria.UserIds?.Select(u => (Guid?)u), "userIds", mustBeActive: false, cancellationToken);
        await references.SubcategoriesAsync(criteria.SubcategoryIds?.Select(s => (Guid?)s), cancellationToken);
        var zone = await calendar.ZoneAsync(cancellationToken);
        return criteria.Checked().Conditions(day => new TrayRange(day, day, zone).Start).Aggregate(store.Query<Contact>(), (query, condition) => query.Where(condition));
    }

    public async Task<RecyclePreview> PreviewAsync(RecycleCriteria criteria, RecycleMode mode, CancellationToken cancellationToken)
    {
        var matching = await MatchingAsync(criteria, cancellationToken);
        var calls = store.Query<CallRecord>();
        var deletesHistory = mode == RecycleMode.Recycle;

        // What stays as it is (Contact.MakeDialableAgain): do-not-call contacts, and fresh ones with nothing to reset.
        var fresh = matching.Where(c => !c.DoNotCall).Where(Contact.Fresh).Where(c => !deletesHistory || !calls.Any(h => h.ContactId == c.Id));
        var matched = await store.CountAsync(matching, cancellationToken);
        var doNotCall = await store.CountAsync(matching.Where(c => c.DoNotCall), cancellationToken);
        var unchanged = await store.CountAsync(fresh, cancellationToken);
        return new RecyclePreview(matched, doNotCall, matched - doNotCall - unchanged);
    }
}
