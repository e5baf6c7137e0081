using System.Text.Json;
using Moonflow.Domain.Common;
using Moonflow.Domain.Crm;

namespace Moonflow.Domain.Tests.Crm;

public sealed class EntityFieldTests
{
    private static readonly EntityField Amount = new("saldo", "Saldo", EntityFieldType.Number);
    private static readonly EntityField Due = new("vence", "Vence", EntityFieldType.Date);
    private static readonly EntityField Active = new("activa", "Activa", EntityFieldType.Boolean);
    private static readonly EntityField Product = new("producto", "Producto", EntityFieldType.List, Required: true, Options: ["Tarjeta", "Crédito"]);
    private static readonly EntityField Note = new("nota", "Nota", EntityFieldType.Text);

    [Theory]
    [InlineData("1500.50", 1500.50)]
    [InlineData("-3", -3)]
    [InlineData(" 0.5 ", 0.5)]
    public void Read_WhenANumberIsWrittenWithAPoint_IsThatNumber(string text, double expected)
    {
        Assert.Equal((decimal)expected, Assert.IsType<decimal>(Amount.Read(text).Value));
    }

    [Theory]
    [InlineData("1.234,5")]
    [InlineData("1234,5")]
    [InlineData("1,234.5")]
    [InlineData("doce")]
    public void Read_WhenANumberHasACommaOrIsNotOne_IsRefusedNamingTheColumnAndTheValue(string text)
    {
        var (value, error) = Amount.Read(text);

        Assert.Null(value);
        Assert.Equal($"'Saldo' (saldo) must be a number with a point for decimals (e.g. 1234.56), not '{text}'.", error);
    }

    [Theory]
    [InlineData("2026-12-31", "2026-12-31")]
    [InlineData("2026-12-31T00:00:00", "2026-12-31")]
    public void Read_WhenADateIsIso_IsStoredAsYearMonthDay(string text, string expected)
    {
        Assert.Equal(expected, Due.Read(text).Value);
    }

    [Theory]
    [InlineData("31/12/2026")]
    [InlineData("2026-02-30")]
    [InlineData("2026-12-31T10:00:00")]
    public void Read_WhenADateIsNotADay_IsRefused(string text)
    {
        Assert.Equal($"'Vence' (vence) must be a date as yyyy-MM-dd, not '{text}'.", Due.Read(text).Error);
    }

    [Theory]
    [InlineData("Sí", true)]
    [InlineData("si", true)]
    [InlineData("YES", true)]
    [InlineData("1", true)]
    [InlineData("No", false)]
    [InlineData("false", false)]
    public void Read_WhenABooleanIsSiOrNo_IsTrueOrFalse(string text, bool expected)
    {
        Assert.Equal(expected, Active.Read(text).Value);
    }

    [Fact]
    public void Read_WhenABooleanIsNeither_IsRefused()
    {
        Assert.Equal("'Activa' (activa) must be true/false (sí/no), not 'Quizás'.", Active.Read("Quizás").Error);
    }

    [Fact]
    public void Read_WhenAListValueDiffersOnlyInCase_IsTheOptionAsDefined()
    {
        Assert.Equal("Crédito", Product.Read("CRÉDITO").Value);
        Assert.Equal("'Producto' (producto) must be one of: Tarjeta, Crédito, not 'Leasing'.", Product.Read("Leasing").Error);
    }

    [Fact]
    public void Read_WhenBlank_IsNullUnlessRequired()
    {
        Assert.Equal((null, null), Amount.Read("  "));
        Assert.Equal("'Producto' (producto) is required.", Product.Read(null).Error);
    }

    [Fact]
    public void Read_WhenTextIsLongerThanAllowed_IsRefused()
    {
        Assert.Equal((object)"corto", Note.Read(" corto ").Value);
        Assert.Contains("text of at most 4000 characters", Note.Read(new string('x', EntityField.MaxTextLength + 1)).Error);
    }

    [Fact]
    public void EntityValues_WhenEveryValueFits_IsTheTypedJsonAndOtherwiseTheFirstReason()
    {
        EntityField[] fields = [Product, Amount, Due, Active, Note];
        var cells = new Dictionary<string, string?> { ["producto"] = "tarjeta", ["saldo"] = "12.5", ["vence"] = "2026-01-31", ["activa"] = "No" };

        var (json, error) = EntityValues.Read(fields, f => cells.GetValueOrDefault(f.Key));

        Assert.Null(error);
        using var document = JsonDocument.Parse(json!);
        Assert.Equal("Tarjeta", document.RootElement.GetProperty("producto").GetString());
        Assert.Equal(12.5m, document.RootElement.GetProperty("saldo").GetDecimal());
        Assert.Equal("2026-01-31", document.RootElement.GetProperty("vence").GetString());
        Assert.False(document.RootElement.GetProperty("activa").GetBoolean());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("nota").ValueKind);

        cells["saldo"] = "mucho";
        cells["activa"] = "tal vez";
        Assert.Equal((null, "'Saldo' (saldo) must be a number with a point for decimals (e.g. 1234.56), not 'mucho'."), EntityValues.Read(fields, f => cells.GetValueOrDefault(f.Key)));
    }

    [Fact]
    public void NewRecord_WhenAValueBreaksItsField_ThrowsTheSameReasonAnImportGives()
    {
        var entity = CrmEntity.Define(ContactTests.TenantId, "Deudas", [Product, Amount], ContactTests.Now);

        var error = Assert.Throws<DomainValidationException>(() => entity.NewRecord(null, new Dictionary<string, string?> { ["producto"] = "Leasing" }, ContactTests.Now));

        Assert.Equal(Product.Read("Leasing").Error, error.Message);
    }
}
