using System.Linq.Expressions;
using System.Reflection;
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
        Expression<Func<Contact, bool>> doNotCall = c => c.DoNotCall;
        Expression<Func<Contact, bool>> noHistoryToDelete = c => !deletesHistory || !calls.Any(h => h.ContactId == c.Id);
        var unchanged = All(c => !c.DoNotCall, Contact.Fresh, noHistoryToDelete);

        // The three counts in one statement (count(*) FILTER …): a million contacts of a base are read once, not three times.
        var group = Expression.Parameter(typeof(IGrouping<int, Contact>), "g");
        var counts = Expression.Lambda<Func<IGrouping<int, Contact>, PreviewCounts>>(
            Expression.New(
                typeof(PreviewCounts).GetConstructors().Single(),
                Expression.Call(LongCountAll, group), Expression.Call(LongCountWhere, group, doNotCall), Expression.Call(LongCountWhere, group, unchanged)),
            group);
        var row = (await store.ToListAsync(matching.GroupBy(_ => 1).Select(counts), cancellationToken)).SingleOrDefault(); // no row when none match
        return row is null ? new RecyclePreview(0, 0, 0) : new RecyclePreview(row.Matched, row.DoNotCall, row.Matched - row.DoNotCall - row.Unchanged);
    }

    private sealed record PreviewCounts(long Matched, long DoNotCall, long Unchanged);

    private static readonly MethodInfo LongCountAll = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.LongCount) && m.GetParameters().Length == 1).MakeGenericMethod(typeof(Contact));

    private static readonly MethodInfo LongCountWhere = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.LongCount) && m.GetParameters().Length == 2).MakeGenericMethod(typeof(Contact));

    /// <summary>The conditions as one, on one parameter, for a count's filter.</summary>
    private static Expression<Func<Contact, bool>> All(params Expression<Func<Contact, bool>>[] conditions)
    {
        var contact = Expression.Parameter(typeof(Contact), "c");
        var body = conditions.Select(c => new Rebind(c.Parameters[0], contact).Visit(c.Body)).Aggregate(Expression.AndAlso);
        return Expression.Lambda<Func<Contact, bool>>(body, contact);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
