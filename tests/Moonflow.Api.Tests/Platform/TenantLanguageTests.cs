using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Platform;

/// <summary>
/// Without <c>Accept-Language</c>, a signed-in caller (user or API key) is answered in its tenant's language; anonymous
/// requests in <c>Localization:DefaultLanguage</c> (English in this factory, so the two cannot be confused).
/// </summary>
public sealed class TenantLanguageTests(TenantLanguageTests.EnglishDefaultFactory api) : IClassFixture<TenantLanguageTests.EnglishDefaultFactory>
{
    [Fact]
    public async Task Answers_WithoutAcceptLanguage_FollowTheTenantsLanguageAndItsChangeAtOnce()
    {
        var admin = MoonflowApiFactory.WithoutLanguage(await api.SignInAsync("admin@demo.test"));
        var seller = MoonflowApiFactory.WithoutLanguage(await api.SignInAsync("seller@demo.test"));
        var key = (await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "ERP", permissions = new[] { "clients.read" } }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("key").GetString();
        var partner = MoonflowApiFactory.WithoutLanguage(api.CreateClient());
        partner.DefaultRequestHeaders.Add("X-Api-Key", key);

        // The demo tenant speaks Spanish; an anonymous caller gets the configured default, English.
        await AssertNotFoundInAsync(seller, "es", "No se encontró.");
        await AssertNotFoundInAsync(partner, "es", "No se encontró.");
        await AssertNotFoundInAsync(MoonflowApiFactory.WithoutLanguage(api.CreateClient()), "en", "Not found.");

        var settings = await (await admin.GetAsync("/api/v1/tenant/settings")).ReadJsonAsync();
        var changed = await admin.PutAsJsonAsync("/api/v1/tenant/settings", new
        {
            timeZone = settings.GetProperty("timeZone").GetString(),
            nightlyWindow = settings.GetProperty("nightlyWindow").GetString(),
            language = "en",
        });
        Assert.Equal("en", (await changed.ReadJsonAsync()).GetProperty("language").GetString());

        // The next request already speaks English (the node forgot the cached Spanish), for users and keys alike;
        // a caller that asks for a language still gets it.
        await AssertNotFoundInAsync(seller, "en", "Not found.");
        await AssertNotFoundInAsync(partner, "en", "Not found.");
        using var spanish = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/clients/{Guid.NewGuid()}");
        spanish.Headers.Add("Accept-Language", "es");
        var asked = await seller.SendAsync(spanish);
        await asked.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(["es"], asked.Content.Headers.ContentLanguage);

        await admin.PutAsJsonAsync("/api/v1/tenant/settings", new
        {
            timeZone = settings.GetProperty("timeZone").GetString(),
            nightlyWindow = settings.GetProperty("nightlyWindow").GetString(),
            language = "es",
        });
        await AssertNotFoundInAsync(seller, "es", "No se encontró.");
    }

    [Fact]
    public async Task Answers_WithAnInvalidToken_AreInTheDefaultLanguage()
    {
        var client = MoonflowApiFactory.WithoutLanguage(api.CreateClient());
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-a-token");

        var response = await client.GetAsync("/api/v1/clients");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal(["en"], response.Content.Headers.ContentLanguage);
    }

    private static async Task AssertNotFoundInAsync(HttpClient client, string language, string title)
    {
        var response = await client.GetAsync("/api/v1/no-such-thing");
        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal([language], response.Content.Headers.ContentLanguage);
        Assert.Equal(title, problem.GetProperty("title").GetString());
    }

    public sealed class EnglishDefaultFactory : MoonflowApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Localization:DefaultLanguage", "en");
        }
    }
}
