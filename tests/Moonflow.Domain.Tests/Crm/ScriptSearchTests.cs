using Moonflow.Domain.Common;
using Moonflow.Domain.Crm;

namespace Moonflow.Domain.Tests.Crm;

public sealed class ScriptSearchTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData(" ", "")]
    [InlineData("lblEtiqueta1", "Hola")]
    public void Create_WhenNotExactlyOneCriterion_BreaksTheRule(string? dataObject, string? fragment)
    {
        var broken = Assert.Throws<BusinessRuleValidationException>(() => ScriptSearch.Create(dataObject, fragment));

        Assert.Equal("script_search_needs_one_criterion", broken.BrokenRule.Code);
        Assert.IsAssignableFrom<IRequestRule>(broken.BrokenRule);
    }

    [Theory]
    [InlineData("lbl.value")]
    [InlineData("1lbl")]
    [InlineData("lbl Etiqueta")]
    [InlineData("lbl%")]
    public void Create_WhenTheObjectIsNoIdentifier_IsAValidationError(string dataObject) =>
        Assert.Equal("object", Assert.Throws<DomainValidationException>(() => ScriptSearch.Create(dataObject, null)).Field);

    [Fact]
    public void Create_WhenOneCriterion_KeepsItAsGiven()
    {
        Assert.Equal("lblEtiqueta1", ScriptSearch.Create(" lblEtiqueta1 ", null).DataObject);
        Assert.Equal(" su deuda ", ScriptSearch.Create(null, " su deuda ").Fragment);
        Assert.Equal("_año_2", ScriptSearch.Create("_año_2", null).DataObject);
        Assert.Throws<DomainValidationException>(() => ScriptSearch.Create(null, new string('x', ScriptSearch.MaxLength + 1)));
    }
}
