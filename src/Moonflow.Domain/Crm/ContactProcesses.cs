using System.Linq.Expressions;
using Moonflow.Domain.Common;

namespace Moonflow.Domain.Crm;

/// <summary>Recycle deletes the matched contacts' call history; reprocess keeps it. Both make them dialable again.</summary>
public enum RecycleMode
{
    Recycle,
    Reprocess,
}

/// <summary>
/// Which contacts of a base a recycle or reprocess takes (seed 004): attempts strictly less / greater than, managed last
/// by one of the users, last contact within a range of the tenant's days (inclusive), resolved with one of the
/// subcategories. Given once as expressions over <see cref="Contact"/>, so the preview's count, the frozen targets and
/// these rules' tests read the same conditions.
/// </summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record RecycleCriteria(
    Guid BaseId,
    int? AttemptsLessThan = null,
    int? AttemptsGreaterThan = null,
    IReadOnlyList<Guid>? UserIds = null,
    DateOnly? LastContactFrom = null,
    DateOnly? LastContactTo = null,
    IReadOnlyList<Guid>? SubcategoryIds = null)
{
    /// <summary>Checks the criteria's shape; a criterion that cannot match anything is a mistake worth telling.</summary>
    public RecycleCriteria Checked()
    {
        if (AttemptsLessThan is < 0 || AttemptsGreaterThan is < 0)
        {
            throw new DomainValidationException(AttemptsLessThan is < 0 ? "attemptsLessThan" : "attemptsGreaterThan", "Attempts are counted from 0.");
        }

        ValueRules.Check(new RecycleCriteriaMustBeSatisfiableRule(this));
        return this;
    }

    /// <param name="startOfDay">The instant a tenant's day starts (its zone's midnight).</param>
    public IReadOnlyList<Expression<Func<Contact, bool>>> Conditions(Func<DateOnly, DateTimeOffset> startOfDay)
    {
        var baseId = BaseId;
        var conditions = new List<Expression<Func<Contact, bool>>> { c => c.BaseIds.Contains(baseId) };
        if (AttemptsLessThan is { } less)
        {
            conditions.Add(c => c.Attempts < less);
        }

        if (AttemptsGreaterThan is { } greater)
        {
            conditions.Add(c => c.Attempts > greater);
        }

        if (UserIds is { Count: > 0 } users)
        {
            var ids = users.Distinct().ToList();
            conditions.Add(c => c.LastUserId != null && ids.Contains(c.LastUserId.Value));
        }

        if (LastContactFrom is { } from)
        {
            var start = startOfDay(from);
            conditions.Add(c => c.LastContactAt >= start);
        }

        if (LastContactTo is { } to)
        {
            // Inclusive: up to the start of the next day.
            var end = startOfDay(to.AddDays(1));
            conditions.Add(c => c.LastContactAt < end);
        }

        if (SubcategoryIds is { Count: > 0 } subcategories)
        {
            var ids = subcategories.Distinct().ToList();
            conditions.Add(c => c.SubcategoryId != null && ids.Contains(c.SubcategoryId.Value));
        }

        return conditions;
    }

    public bool Matches(Contact contact, Func<DateOnly, DateTimeOffset> startOfDay) => Conditions(startOfDay).All(c => c.Compile()(contact));
}

public sealed class RecycleCriteriaMustBeSatisfiableRule(RecycleCriteria criteria) : IRequestRule
{
    public string Code => "criteria_match_nothing";

    public ErrorText Message => criteria.LastContactFrom > criteria.LastContactTo
        ? "'lastContactFrom' is after 'lastContactTo'."
        : $"No number of attempts is less than {criteria.AttemptsLessThan} and greater than {criteria.AttemptsGreaterThan}.";

    public bool IsBroken() =>
        criteria.LastContactFrom > criteria.LastContactTo
        || (criteria.AttemptsLessThan is { } less && criteria.AttemptsGreaterThan is { } greater && less - greater <= 1);
}

/// <summary>Which contacts leave a base (seed 004): those of a lot, those resolved with one of the subcategories, or both; at least one is needed.</summary>
public sealed record DissociateCriteria(Guid BaseId, Guid? LotId, IReadOnlyList<Guid>? SubcategoryIds)
{
    public DissociateCriteria Checked()
    {
        ValueRules.Check(new DissociateNeedsCriterionRule(this));
        return this;
    }

    public IReadOnlyList<Expression<Func<Contact, bool>>> Conditions()
    {
        var baseId = BaseId;
        var conditions = new List<Expression<Func<Contact, bool>>> { c => c.BaseIds.Contains(baseId) };
        if (LotId is { } lot)
        {
            conditions.Add(c => c.LotId == lot);
        }

        if (SubcategoryIds is { Count: > 0 } subcategories)
        {
            var ids = subcategories.Distinct().ToList();
            conditions.Add(c => c.SubcategoryId != null && ids.Contains(c.SubcategoryId.Value));
        }

        return conditions;
    }

    public bool Matches(Contact contact) => Conditions().All(c => c.Compile()(contact));
}

public sealed class DissociateNeedsCriterionRule(DissociateCriteria criteria) : IRequestRule
{
    public string Code => "dissociate_needs_criterion";

    public ErrorText Message => "Give 'lotId', 'subcategoryIds' or both: dissociating a whole base needs a criterion.";

    public bool IsBroken() => criteria.LotId is null && criteria.SubcategoryIds is not { Count: > 0 };
}

/// <summary>
/// Reassigning agendas (seed 004): the pending agendas of some users go to others, dealt round-robin in due-date order,
/// so no target gets more than one agenda more than another.
/// </summary>
public sealed record AgendaReassignment(IReadOnlyList<Guid> FromUserIds, IReadOnlyList<Guid> ToUserIds)
{
    public AgendaReassignment Checked()
    {
        ValueRules.Check(new ReassignmentNeedsDistinctUsersRule(this));
        return this with { FromUserIds = FromUserIds.Distinct().ToList(), ToUserIds = ToUserIds.Distinct().ToList() };
    }

    /// <summary>The user the agenda at <paramref name="position"/> (1-based, in due-date order) goes to.</summary>
    public Guid TargetFor(long position) => ToUserIds[(int)((position - 1) % ToUserIds.Count)];
}

public sealed class ReassignmentNeedsDistinctUsersRule(AgendaReassignment reassignment) : IRequestRule
{
    public string Code => "reassign_users_invalid";

    public ErrorText Message => reassignment.FromUserIds.Count == 0 || reassignment.ToUserIds.Count == 0
        ? "Give at least one user in 'fromUserIds' and one in 'toUserIds'."
        : "A user cannot be both in 'fromUserIds' and in 'toUserIds'.";

    public bool IsBroken() =>
        reassignment.FromUserIds.Count == 0 || reassignment.ToUserIds.Count == 0 || reassignment.FromUserIds.Intersect(reassignment.ToUserIds).Any();
}

/// <summary>Rule checks for value records, which are no aggregates.</summary>
file static class ValueRules
{
    public static void Check(IBusinessRule rule)
    {
        if (rule.IsBroken())
        {
            throw new BusinessRuleValidationException(rule);
        }
    }
}
