using FluentValidation.Results;
using Moonflow.Application.Receivables.Clients;
using Moonflow.Application.Receivables.Clients.BulkTagClients;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Tests.Receivables;

public sealed class BulkTagClientsCommandValidatorTests
{
    private static readonly IReadOnlyList<Guid> SomeIds = [Guid.NewGuid(), Guid.NewGuid()];
    private static readonly ClientFilter VipFilter = new(Tag: "vip");

    private static ValidationResult Validate(
        IReadOnlyList<Guid>? ids, ClientFilter? filter, IReadOnlyList<string>? add = null, IReadOnlyList<string>? remove = null) =>
        new BulkTagClientsCommandValidator().Validate(new BulkTagClientsCommand(ids, filter, add ?? ["campaign-q4"], remove));

    private static void AssertSingleError(ValidationResult result, string propertyName)
    {
        Assert.False(result.IsValid);
        Assert.Equal(propertyName, Assert.Single(result.Errors).PropertyName);
    }

    [Fact]
    public void Validate_WhenListedIdsAndTagsToAdd_IsValid() => Assert.True(Validate(SomeIds, null).IsValid);

    [Fact]
    public void Validate_WhenFilterAndTagsToRemove_IsValid() => Assert.True(Validate(null, VipFilter, add: [], remove: ["vip"]).IsValid);

    [Fact]
    public void Validate_WhenNeitherIdsNorFilter_ReportsClientIds() => AssertSingleError(Validate(null, null), "clientIds");

    [Fact]
    public void Validate_WhenBothIdsAndFilter_ReportsClientIds() => AssertSingleError(Validate(SomeIds, VipFilter), "clientIds");

    [Fact]
    public void Validate_WhenIdListIsEmpty_ReportsClientIds() => AssertSingleError(Validate([], null), "ClientIds");

    [Fact]
    public void Validate_WhenExactlyTheMaximumOfIds_IsValid()
    {
        var ids = Enumerable.Range(0, ClientSelectionRules.MaxListedIds).Select(_ => Guid.NewGuid()).ToList();

        Assert.True(Validate(ids, null).IsValid);
    }

    [Fact]
    public void Validate_WhenMoreThan10000Ids_ReportsClientIdsAndPointsToTheFilter()
    {
        var ids = Enumerable.Range(0, 10_001).Select(_ => Guid.NewGuid()).ToList();

        var result = Validate(ids, null);

        AssertSingleError(result, "ClientIds");
        Assert.Contains("filter", result.Errors[0].ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Validate_WhenNoTagToAddOrRemove_ReportsAdd(bool emptyLists)
    {
        var result = emptyLists
            ? new BulkTagClientsCommandValidator().Validate(new BulkTagClientsCommand(SomeIds, null, [], []))
            : new BulkTagClientsCommandValidator().Validate(new BulkTagClientsCommand(SomeIds, null, null, null));

        AssertSingleError(result, "add");
    }

    [Fact]
    public void Validate_WhenATagIsTooLong_ReportsIt()
    {
        var result = Validate(SomeIds, null, add: ["ok", new string('x', Client.MaxTagLength + 1)]);

        Assert.False(result.IsValid);
        Assert.Equal("Add[1]", Assert.Single(result.Errors).PropertyName);
    }

    [Fact]
    public void Validate_WhenATagToRemoveIsBlank_ReportsIt()
    {
        var result = Validate(SomeIds, null, remove: [""]);

        Assert.Equal("Remove[0]", Assert.Single(result.Errors).PropertyName);
    }
}
