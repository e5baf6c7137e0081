using Moonflow.Application.Crm.Imports;
using Moonflow.Application.Crm.Imports.UpdateContacts;
using Moonflow.Domain.Common;

namespace Moonflow.Application.Tests.Crm;

public sealed class ContactsUpdateSettingsTests
{
    [Fact]
    public void Choose_WhenKeysAndFieldsAreKnown_KeepsTheirKeysAndMakesEveryColumnRequired()
    {
        var settings = ContactsUpdateSettings.Choose(["DocumentNumber", "phone"], ["email", "details.plan_2"]);

        Assert.Equal(["documentNumber", "phones"], settings.Keys);
        Assert.Equal(["email", "details.plan_2"], settings.Fields);
        Assert.Equal(["documentNumber", "phones", "email", "details.plan_2"], settings.Columns().Select(c => c.Key));
        Assert.All(settings.Columns(), c => Assert.True(c.Required));
        Assert.Equal("plan_2", settings.Columns()[3].HeaderEs);
    }

    [Theory]
    [InlineData("color", "email", "keys")]
    [InlineData("doNotCall", "email", "keys")]
    [InlineData("email", "documentNumber", "fields")]
    [InlineData("email", "email", "fields")]
    [InlineData("email,EMAIL", "name", "keys")]
    [InlineData("details.a-b", "name", "keys")]
    [InlineData("", "name", "keys")]
    [InlineData("email", "", "fields")]
    public void Choose_WhenAKeyOrFieldCannotBeUsed_IsRefusedNamingTheFormField(string keys, string fields, string refused)
    {
        var error = Assert.Throws<DomainValidationException>(() => ContactsUpdateSettings.Choose(Split(keys), Split(fields)));

        Assert.Equal(refused, error.Field);
    }

    [Theory]
    [InlineData("Sí", true)]
    [InlineData("si", true)]
    [InlineData("YES", true)]
    [InlineData("No", false)]
    [InlineData("", false)]
    [InlineData("Quizás", null)]
    public void ParseYesNo_WhenReadingACell_AcceptsSpanishAndEnglish(string text, bool? expected) =>
        Assert.Equal(expected, ContactFields.ParseYesNo(text));

    private static string[] Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
