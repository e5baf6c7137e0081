using Moonflow.Application.Crm.Imports;
using Moonflow.Application.Crm.Imports.ImportContactDetails;
using Moonflow.Domain.Common;
using Moonflow.Domain.Crm;

namespace Moonflow.Application.Tests.Crm;

public sealed class ContactDetailsImportSettingsTests
{
    private static readonly ImportedEntity Plans = new(
        Guid.NewGuid(), "Planes",
        [new EntityField("plan", "Plan", EntityFieldType.List, true, ["Oro", "Plata"]), new EntityField("activo", "Activo", EntityFieldType.Boolean)]);

    [Theory]
    [InlineData("documentNumber", "documentNumber")]
    [InlineData("phone", "phones")]
    [InlineData("EMAIL", "email")]
    [InlineData("details.segmento", "details.segmento")]
    public void Choose_WhenTheKeyIdentifiesAContact_IsTheKeyColumnThenTheEntitysFields(string key, string expected)
    {
        var settings = ContactDetailsImportSettings.Choose(Guid.NewGuid(), key, Plans);

        Assert.Equal(expected, settings.Key);
        Assert.Equal([expected, "plan", "activo"], settings.Columns().Select(c => c.Key));
        Assert.True(settings.Columns()[0].Required);
        Assert.False(settings.Columns()[2].Required);
        Assert.Equal(["Sí", "No"], settings.Columns()[2].AllowedValues);
        Assert.Equal(["Oro", "Plata"], settings.Columns()[1].AllowedValues);
    }

    [Theory]
    [InlineData("color")]
    [InlineData("name")]
    [InlineData("documentType")]
    [InlineData("doNotCall")]
    [InlineData("details.a-b")]
    public void Choose_WhenTheKeyCannotMatchAContact_IsRefusedNamingTheAllowedKeys(string key)
    {
        var error = Assert.Throws<DomainValidationException>(() => ContactDetailsImportSettings.Choose(Guid.NewGuid(), key, Plans));

        Assert.Equal("key", error.Field);
        Assert.Contains("use documentNumber, phone, email or details.<name>", error.Message);
    }

    [Fact]
    public void Choose_WhenAFieldIsNamedLikeTheKeyColumn_IsRefusedOnTheEntity()
    {
        var entity = Plans with { Fields = [new EntityField("mail", "Correo", EntityFieldType.Text)] };

        var error = Assert.Throws<DomainValidationException>(() => ContactDetailsImportSettings.Choose(Guid.NewGuid(), "email", entity));

        Assert.Equal("entityId", error.Field);
        Assert.Contains("'Correo'", error.Message);
    }
}
