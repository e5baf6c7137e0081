using System.Net;
using System.Net.Http.Json;
using Moonflow.Api.Infrastructure.Localization;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Platform;

/// <summary>
/// <c>Accept-Language: es|en</c> picks the language of problem titles, the API's own details and the validation messages;
/// without it (or with a language we do not speak) they are Spanish, the tenants' language. Codes and JSON names never change.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class LanguageTests(MoonflowApiFactory api)
{
    [Fact]
    public void Texts_ExistInEveryLanguage()
    {
        var texts = new ApiTexts();
        var spanish = texts.Keys("es").ToHashSet();
        var english = texts.Keys("en").ToHashSet();

        Assert.True(spanish.Count > 10); // guards against comparing two empty files
        Assert.Empty(spanish.Except(english)); // a key only in Spanish
        Assert.Empty(english.Except(spanish)); // a key only in English
    }

    [Theory]
    [InlineData(null, "es", "No se encontró.", "Nada responde a GET /api/v1/no-such-thing.")]
    [InlineData("fr-FR", "es", "No se encontró.", "Nada responde a GET /api/v1/no-such-thing.")]
    [InlineData("es-CO,es;q=0.9", "es", "No se encontró.", "Nada responde a GET /api/v1/no-such-thing.")]
    [InlineData("en", "en", "Not found.", "Nothing answers GET /api/v1/no-such-thing.")]
    [InlineData("en-US,en;q=0.9,es;q=0.5", "en", "Not found.", "Nothing answers GET /api/v1/no-such-thing.")]
    public async Task Problem_InTheRequestsLanguage_KeepsItsCode(string? acceptLanguage, string language, string title, string detailStart)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/no-such-thing");
        if (acceptLanguage is not null)
        {
            request.Headers.Add("Accept-Language", acceptLanguage);
        }

        var response = await MoonflowApiFactory.WithoutLanguage(api.CreateClient()).SendAsync(request);

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.StartsWith(detailStart, problem.GetProperty("detail").GetString());
        Assert.Equal([language], response.Content.Headers.ContentLanguage);
    }

    [Fact]
    public async Task ValidationProblem_InSpanishOrEnglish_KeepsItsCodeAndFieldNames()
    {
        var spanish = await SignInWithNothingAsync(null);
        var english = await SignInWithNothingAsync("en");

        var es = await spanish.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var en = await english.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("La solicitud no es válida.", es.GetProperty("title").GetString());
        Assert.Equal("The request is not valid.", en.GetProperty("title").GetString());
        Assert.Equal("Vea en 'errors' qué corregir en cada campo.", es.GetProperty("detail").GetString());
        Assert.Contains("must not be empty", en.GetProperty("errors").GetProperty("tenant")[0].GetString());
        Assert.Contains("vacío", es.GetProperty("errors").GetProperty("tenant")[0].GetString());
        Assert.Equal(
            en.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(),
            es.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal(["es"], spanish.Content.Headers.ContentLanguage);
    }

    private Task<HttpResponseMessage> SignInWithNothingAsync(string? acceptLanguage)
    {
        var client = MoonflowApiFactory.WithoutLanguage(api.CreateClient());
        if (acceptLanguage is not null)
        {
            client.DefaultRequestHeaders.Add("Accept-Language", acceptLanguage);
        }

        return client.PostAsJsonAsync("/api/v1/auth/token", new { tenant = "", email = "", password = "" });
    }
}
