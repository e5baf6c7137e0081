using Moonflow.Application.Processes.Uploads;

namespace Moonflow.Application.Tests.Processes;

public sealed class ImportHeadersTests
{
    private static readonly ImportColumn[] Columns =
    [
        new("DocumentNumber", "DocumentNumber", "Número de documento", true, "", "", null, ""),
        new("SentAt", "SentAt", "Fecha de envío", true, "", "", null, ""),
        new("Campaign", "Campaign", "Campaña", false, "", "", null, ""),
    ];

    [Fact]
    public void Map_WhenHeadersAreInEitherLanguageWithAnyCaseAccentsOrSeparators_FindsEachColumn()
    {
        var map = ImportHeaders.Map(Columns, ["NUMERO DE DOCUMENTO", "otra", "sent_at", " campana. "]);

        Assert.Equal(new Dictionary<string, int> { ["DocumentNumber"] = 0, ["SentAt"] = 2, ["Campaign"] = 3 }, map);
    }

    [Fact]
    public void Map_WhenTwoHeadersNameOneColumn_KeepsTheFirst()
    {
        var map = ImportHeaders.Map(Columns, ["Fecha de envío", "SentAt"]);

        Assert.Equal(0, map["SentAt"]);
    }

    [Fact]
    public void Missing_WhenRequiredColumnsAreAbsent_NamesOnlyThoseInBothLanguages()
    {
        var missing = ImportHeaders.Missing(Columns, ImportHeaders.Map(Columns, ["Campaña", null]));

        Assert.Equal(["DocumentNumber", "SentAt"], missing.Select(c => c.Key));
        Assert.Contains("Fecha de envío (SentAt)", ImportHeaders.DescribeMissing(missing));
    }

    [Fact]
    public void Unexpected_WhenTheRowHasColumnsNoneOfTheImportsNames_ListsThemAsWrittenAndIgnoresBlanks()
    {
        var headers = new[] { "Número de documento", " Teléfono ", null, "Campaña", "" };
        var map = ImportHeaders.Map(Columns, headers);

        var unexpected = ImportHeaders.Unexpected(map, headers);

        Assert.Equal(["Teléfono"], unexpected);
        var message = ImportHeaders.DescribeExact(Columns, ImportHeaders.Missing(Columns, map), unexpected);
        Assert.Contains("Número de documento (DocumentNumber), Fecha de envío (SentAt), Campaña (Campaign)", message);
        Assert.Contains("Missing: Fecha de envío.", message);
        Assert.Contains("Not chosen: Teléfono.", message);
    }

    [Theory]
    [InlineData("Correo", true)]
    [InlineData("CORREO ELECTRÓNICO", true)]
    [InlineData("e-mail", true)]
    [InlineData("Paloma", false)]
    [InlineData("a-value-much-longer-than-any-synonym-the-import-could-possibly-accept-as-a-channel", false)]
    public void TryMatch_WhenTextIsASynonymInAnyCaseOrAccent_FindsItsValue(string text, bool found)
    {
        var channels = new Synonyms<string>(("email", ["email", "correo", "correo electrónico"]), ("sms", ["sms"]));

        Assert.Equal(found, channels.TryMatch(text, out var value));
        Assert.Equal(found ? "email" : null, value);
    }
}
