using Moonflow.Domain.Receivables;
using Moonflow.Domain.Tests.Support;

namespace Moonflow.Domain.Tests.Receivables;

public sealed class ClientTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid TenantId = Guid.Parse("0197a1f0-0000-7000-8000-000000000001");

    private static Client Create(IEnumerable<string>? tags = null, string name = "Ana Gómez", string? email = null) =>
        Client.Create(TenantId, DocumentType.CC, " 1020304050 ", name, email, "  ", tags, Now);

    [Fact]
    public void Create_WhenValid_TrimsValuesAndDropsBlankOptionalOnes()
    {
        var client = Create(["VIP"], "  Ana Gómez ", " ana@demo.test ");

        Assert.NotEqual(Guid.Empty, client.Id);
        Assert.Equal(TenantId, client.TenantId);
        Assert.Equal(DocumentType.CC, client.DocumentType);
        Assert.Equal("1020304050", client.DocumentNumber);
        Assert.Equal("Ana Gómez", client.Name);
        Assert.Equal("ana@demo.test", client.Email);
        Assert.Null(client.Phone);
        Assert.Equal(["vip"], client.Tags);
        Assert.Equal(Now, client.CreatedAt);
    }

    [Fact]
    public void Create_WhenNoTags_HasNone() => Assert.Empty(Create(tags: null).Tags);

    [Fact]
    public void Create_WhenNameBlank_IsRejected() => RuleAssert.Invalid("name", () => Create(name: " "));

    [Fact]
    public void Create_WhenNameTooLong_IsRejected() => RuleAssert.Invalid("name", () => Create(name: new string('a', 201)));

    [Fact]
    public void Create_WhenTagsBreakTheRules_IsRejected() =>
        RuleAssert.Invalid("tags", () => Create(Enumerable.Range(0, Client.MaxTags + 1).Select(i => $"t{i}")));

    [Fact]
    public void NormalizeTags_WhenMixedCaseSpacesDuplicatesAndBlanks_KeepsEachTagOnceLowerCaseInFirstSeenOrder()
    {
        var tags = Client.NormalizeTags([" VIP ", "vip", "Mora-30 ", "", "   ", "MORA-30", "Campaña-Q4"]);

        Assert.Equal(["vip", "mora-30", "campaña-q4"], tags);
    }

    [Fact]
    public void NormalizeTags_WhenTagHasMaxLengthAfterTrimming_IsAccepted()
    {
        var tag = new string('x', Client.MaxTagLength);

        var tags = Client.NormalizeTags([$"  {tag}  "]);

        Assert.Equal([tag], tags);
    }

    [Fact]
    public void NormalizeTags_WhenTagLongerThanMax_IsRejected() =>
        RuleAssert.Invalid("tags", () => Client.NormalizeTags([new string('x', Client.MaxTagLength + 1)]));

    [Fact]
    public void NormalizeTags_WhenMaxDistinctTags_IsAccepted()
    {
        var tags = Client.NormalizeTags(Enumerable.Range(0, Client.MaxTags).Select(i => $"tag-{i}"));

        Assert.Equal(Client.MaxTags, tags.Count);
    }

    [Fact]
    public void NormalizeTags_WhenMoreThanMaxDistinctTags_IsRejected() =>
        RuleAssert.Invalid("tags", () => Client.NormalizeTags(Enumerable.Range(0, Client.MaxTags + 1).Select(i => $"tag-{i}")));

    [Fact]
    public void NormalizeTags_WhenDuplicatesCollapseToTheMax_IsAccepted()
    {
        var raw = Enumerable.Range(0, Client.MaxTags).Select(i => $"tag-{i}").Concat(["TAG-0", " tag-1 "]);

        var tags = Client.NormalizeTags(raw);

        Assert.Equal(Client.MaxTags, tags.Count);
    }
}
