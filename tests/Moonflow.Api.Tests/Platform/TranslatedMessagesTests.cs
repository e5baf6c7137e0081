using System.Globalization;
using System.Net;
using Moonflow.Api.Infrastructure.Localization;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Common.Localization;
using Moonflow.Domain.Common;
using Moonflow.Domain.Crm;

namespace Moonflow.Api.Tests.Platform;

/// <summary>
/// Messages written as finished English (our validators' <c>WithMessage</c>, rule texts chosen by a condition, rows'
/// failure reasons) are said in Spanish by the text whose English has the same words, the values in its holes carried over.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TranslatedMessagesTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task ValidatorMessage_InSpanishAndEnglish_KeepsItsFieldAndValues()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        const string Url = "/api/v1/processes?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z&limit=0";

        var en = await (await seller.GetAsync(Url)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        seller.DefaultRequestHeaders.AcceptLanguage.Clear();
        seller.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es");
        var es = await (await seller.GetAsync(Url)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal("'to' must not be before 'from'.", en.GetProperty("errors").GetProperty("to")[0].GetString());
        Assert.Equal("'to' no debe ser anterior a 'from'.", es.GetProperty("errors").GetProperty("to")[0].GetString());
        Assert.Contains("debe", es.GetProperty("errors").GetProperty("limit")[0].GetString()); // FluentValidation's own, in Spanish too
        Assert.Equal(
            en.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(),
            es.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
    }

    [Fact]
    public void RuleMessageChosenByACondition_IsSaidInSpanishWithItsValues()
    {
        var texts = new ApiTexts();
        var rule = new BusinessRuleValidationException(new RecycleCriteriaMustBeSatisfiableRule(
            new RecycleCriteria(Guid.NewGuid(), AttemptsLessThan: 2, AttemptsGreaterThan: 5)));

        Assert.Equal("Ningún número de intentos es menor que 2 y mayor que 5.", InLanguage("es", () => texts.Detail(rule)));
        Assert.Equal("No number of attempts is less than 2 and greater than 5.", InLanguage("en", () => texts.Detail(rule)));
    }

    [Theory]
    [InlineData("At most 20 tags.", "Como máximo 20 etiquetas.")]
    [InlineData("Unknown columns: a, b. See GET /api/v1/interactions/columns.", "Columnas desconocidas: a, b. Vea GET /api/v1/interactions/columns.")]
    [InlineData("Unknown columns: zz.", "Columnas desconocidas: zz.")]
    [InlineData("Words no text has.", "Words no text has.")]
    public void Translate_FindsTheTextWithTheSameWords_MostSpecificFirst(string english, string spanish)
    {
        Assert.Equal(spanish, Texts.Default.Translate("validation.", english, "es"));
        Assert.Equal(english, Texts.Default.Translate("validation.", english, "en"));
    }

    [Theory]
    [InlineData("Row 3 (line 9 of the file) has an unterminated quoted field.", "Fila 3 (línea 9 del archivo) tiene un campo entre comillas que no se cierra.")]
    [InlineData(
        "Row 2, column 4, holds more than 32,767 characters; a cell may hold at most 32,767 (as in Excel). A closing quote may be missing.",
        "Fila 2, columna 4, tiene más de 32,767 caracteres; una celda puede tener como máximo 32,767 (como en Excel). Puede faltar una comilla de cierre.")]
    [InlineData("Row 2, column 4, holds more than 10 characters; a cell may hold at most 10.", "Fila 2, columna 4, tiene más de 10 caracteres; una celda puede tener como máximo 10.")]
    [InlineData("'Saldo' (saldo) must be a number with a point for decimals (e.g. 1234.56), not '1.234,5'.", "'Saldo' (saldo) debe ser un número con punto para los decimales (p. ej. 1234.56), no '1.234,5'.")]
    [InlineData("'Segmento' (segmento) must be one of: Oro, Plata, not 'Bronce'.", "'Segmento' (segmento) debe ser uno de: Oro, Plata, no 'Bronce'.")]
    [InlineData("'Alta' (alta) is required.", "'Alta' (alta) es obligatorio.")]
    public void Translate_SaysTheTextsInItsHolesToo(string english, string spanish) =>
        Assert.Equal(spanish, Texts.Default.Translate(Texts.ReasonPrefix, english, "es"));

    [Fact]
    public void EveryReasonWithoutValues_IsFoundByItsEnglishWords()
    {
        // The chunk statements and registrars write these in SQL, in English; read, they are said in the process's language.
        var english = Texts.Default.Of("en");
        var spanish = Texts.Default.Of("es");
        var plain = english.Where(t => t.Key.StartsWith(Texts.ReasonPrefix, StringComparison.Ordinal) && !t.Value.Contains('{')).ToList();
        Assert.NotEmpty(plain);
        Assert.All(plain, t => Assert.Equal(spanish[t.Key], Texts.Default.Translate(Texts.ReasonPrefix, t.Value, "es")));
        var say = Texts.Default.ReasonsIn("es");
        Assert.Equal("Reasignada a Ana Pérez.", say("Reassigned to Ana Pérez."));
        Assert.Equal("Cambios (anterior → nuevo): email: (empty) → ana@example.com", say("Changed (previous → new): email: (empty) → ana@example.com"));
        Assert.Equal("Fila 3 de las mías", say("Fila 3 de las mías")); // already Spanish: no English words to match
        Assert.Null(say(null));
    }

    [Fact]
    public void WebhookDisabledNotification_SaysWhyInTheReadersLanguage()
    {
        var since = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
        var now = since.AddDays(3);
        var notification = Moonflow.Domain.Notifications.Notification.WebhookDisabled(
            Guid.NewGuid(), Guid.NewGuid(), "https://partner.example/hooks", "Every delivery failed from 2026-11-28 10:00 UTC to 2026-12-01 10:00 UTC.", since, now);

        Assert.Equal(notification.Message, Texts.Default.Say(notification.MessageText, "-", "en"));
        Assert.Contains(
            "se desactivó: todas las entregas fallaron desde el 2026-11-28 10:00 UTC hasta el 2026-12-01 10:00 UTC.",
            Texts.Default.Say(notification.MessageText, "-", "es"));
    }

    private static string? InLanguage(string language, Func<string?> render)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(language);
        try
        {
            return render();
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
