using Moonflow.Domain.Common;

namespace Moonflow.Domain.Tests.Support;

internal static class RuleAssert
{
    /// <summary>Asserts that <paramref name="act"/> is refused by the business rule with the given code (what the API returns as 409 <c>code</c>).</summary>
    public static void Broken(string code, Action act)
    {
        var exception = Assert.Throws<BusinessRuleValidationException>(act);
        Assert.Equal(code, exception.BrokenRule.Code);
    }

    /// <summary>Asserts that <paramref name="act"/> is refused as a malformed value of <paramref name="field"/> (400).</summary>
    public static void Invalid(string field, Action act)
    {
        var exception = Assert.Throws<DomainValidationException>(act);
        Assert.Equal(field, exception.Field);
    }
}
