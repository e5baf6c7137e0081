using Moonflow.Domain.Crm;
using Moonflow.Domain.Tests.Support;
using static Moonflow.Domain.Tests.Crm.ContactTests;

namespace Moonflow.Domain.Tests.Crm;

public sealed class ContactProcessCriteriaTests
{
    private static readonly Guid Base = Guid.NewGuid();
    private static readonly Guid OtherBase = Guid.NewGuid();

    // The tenant's days start at 05:00 UTC (Bogotá, UTC-5).
    private static DateTimeOffset StartOfDay(DateOnly day) => new(day.ToDateTime(new TimeOnly(5, 0)), TimeSpan.Zero);

    private static Contact Called(int attempts, Guid? user = null, Guid? subcategory = null, DateTimeOffset? at = null, Guid? baseId = null, Guid? lot = null)
    {
        var contact = Contact.Create(TenantId, "Luis", null, null, ["300"], null, null, null, false, lot, Now);
        contact.AssociateTo(baseId ?? Base);
        for (var i = 0; i < attempts; i++)
        {
            contact.LogCall(user ?? Guid.NewGuid(), subcategory, 10, null, at ?? Now);
        }

        return contact;
    }

    [Fact]
    public void Recycle_WhenAttemptsLessAndGreaterThan_BothAreStrict()
    {
        var criteria = new RecycleCriteria(Base, AttemptsLessThan: 5, AttemptsGreaterThan: 2).Checked();

        Assert.Equal([3, 4], Enumerable.Range(0, 7).Where(a => criteria.Matches(Called(a), StartOfDay)));
    }

    [Fact]
    public void Recycle_WhenTheContactIsInAnotherBase_DoesNotMatch()
    {
        var criteria = new RecycleCriteria(Base);

        Assert.True(criteria.Matches(Called(1), StartOfDay));
        Assert.False(criteria.Matches(Called(1, baseId: OtherBase), StartOfDay));
    }

    [Fact]
    public void Recycle_WhenLastContactRange_IsInclusiveInTheTenantsDays()
    {
        var criteria = new RecycleCriteria(Base, LastContactFrom: new DateOnly(2026, 11, 10), LastContactTo: new DateOnly(2026, 11, 12));
        DateTimeOffset Utc(int day, int hour) => new(2026, 11, day, hour, 0, 0, TimeSpan.Zero);

        Assert.False(criteria.Matches(Called(1, at: Utc(10, 4)), StartOfDay)); // 23:00 of the 9th in Bogotá
        Assert.True(criteria.Matches(Called(1, at: Utc(10, 5)), StartOfDay));
        Assert.True(criteria.Matches(Called(1, at: Utc(13, 4)), StartOfDay)); // 23:00 of the 12th in Bogotá
        Assert.False(criteria.Matches(Called(1, at: Utc(13, 5)), StartOfDay));
        Assert.False(criteria.Matches(Called(0), StartOfDay)); // never contacted: outside any range
    }

    [Fact]
    public void Recycle_WhenUsersAndSubcategories_MatchTheLastUserAndTheResolution()
    {
        var (ana, luis, noAnswer, promise) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var criteria = new RecycleCriteria(Base, UserIds: [ana], SubcategoryIds: [noAnswer]);

        Assert.True(criteria.Matches(Called(1, ana, noAnswer), StartOfDay));
        Assert.False(criteria.Matches(Called(1, luis, noAnswer), StartOfDay));
        Assert.False(criteria.Matches(Called(1, ana, promise), StartOfDay));
        Assert.False(criteria.Matches(Called(0), StartOfDay));
    }

    [Fact]
    public void Recycle_WhenNoOptionalFilter_MatchesTheWholeBase() => Assert.True(new RecycleCriteria(Base).Checked().Matches(Called(0), StartOfDay));

    [Theory]
    [InlineData(3, 2)]
    [InlineData(3, 3)]
    [InlineData(1, 5)]
    public void Recycle_WhenNoAttemptCountCanMatch_IsRefused(int less, int greater) =>
        RuleAssert.Broken("criteria_match_nothing", () => new RecycleCriteria(Base, AttemptsLessThan: less, AttemptsGreaterThan: greater).Checked());

    [Fact]
    public void Recycle_WhenRangeIsInverted_IsRefused() =>
        RuleAssert.Broken("criteria_match_nothing", () => new RecycleCriteria(Base, LastContactFrom: new DateOnly(2026, 11, 2), LastContactTo: new DateOnly(2026, 11, 1)).Checked());

    [Fact]
    public void Dissociate_WhenNeitherLotNorSubcategories_IsRefused()
    {
        RuleAssert.Broken("dissociate_needs_criterion", () => new DissociateCriteria(Base, null, null).Checked());
        RuleAssert.Broken("dissociate_needs_criterion", () => new DissociateCriteria(Base, null, []).Checked());
    }

    [Fact]
    public void Dissociate_WhenLotAndSubcategories_TakesTheBasesContactsMeetingBoth()
    {
        var (lot, otherLot, noAnswer) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var criteria = new DissociateCriteria(Base, lot, [noAnswer]).Checked();

        Assert.True(criteria.Matches(Called(1, subcategory: noAnswer, lot: lot)));
        Assert.False(criteria.Matches(Called(1, subcategory: noAnswer, lot: otherLot)));
        Assert.False(criteria.Matches(Called(1, lot: lot)));
        Assert.False(criteria.Matches(Called(1, subcategory: noAnswer, lot: lot, baseId: OtherBase)));
        Assert.True(new DissociateCriteria(Base, lot, null).Checked().Matches(Called(0, lot: lot)));
    }

    [Theory]
    [InlineData(10, 3)]
    [InlineData(100_001, 7)]
    [InlineData(2, 5)]
    public void Reassign_WhenDealtRoundRobin_NoTargetGetsMoreThanOneMoreThanAnother(int agendas, int targets)
    {
        var reassignment = new AgendaReassignment([Guid.NewGuid()], Enumerable.Range(0, targets).Select(_ => Guid.NewGuid()).ToList()).Checked();

        var counts = Enumerable.Range(1, agendas).GroupBy(p => reassignment.TargetFor(p)).Select(g => g.Count()).ToList();

        Assert.True(counts.Max() - (counts.Count < targets ? 0 : counts.Min()) <= 1);
        Assert.Equal(agendas, counts.Sum());
    }

    [Fact]
    public void Reassign_WhenDealt_FollowsTheTargetsInTheirOrder()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var reassignment = new AgendaReassignment([Guid.NewGuid()], [a, b, a]).Checked();

        Assert.Equal([a, b, a, b], Enumerable.Range(1, 4).Select(p => reassignment.TargetFor(p)));
    }

    [Fact]
    public void Reassign_WhenAUserIsOnBothSidesOrASideIsEmpty_IsRefused()
    {
        var user = Guid.NewGuid();
        RuleAssert.Broken("reassign_users_invalid", () => new AgendaReassignment([user], [user, Guid.NewGuid()]).Checked());
        RuleAssert.Broken("reassign_users_invalid", () => new AgendaReassignment([], [user]).Checked());
        RuleAssert.Broken("reassign_users_invalid", () => new AgendaReassignment([user], []).Checked());
    }
}
