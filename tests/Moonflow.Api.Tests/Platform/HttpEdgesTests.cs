using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Platform;

/// <summary>
/// What a caller gets at the edges: unmatched routes and wrong methods as problems with a code (signed in or not),
/// CORS for the configured front-end origins only, and the security headers on every answer.
/// </summary>
public sealed class HttpEdgesTests(HttpEdgesTests.FrontEndOriginFactory api) : IClassFixture<HttpEdgesTests.FrontEndOriginFactory>
{
    private const string FrontEnd = "https://app.moonflow.test";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnknownRoute_SignedInOrNot_Is404NotFoundProblem(bool signedIn)
    {
        var client = signedIn ? await api.SignInAsync("viewer@demo.test") : api.CreateClient();

        var problem = await (await client.GetAsync("/api/v1/no-such-thing")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");

        Assert.Contains("/api/v1/no-such-thing", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task WrongMethod_WithoutSigningIn_Is405MethodNotAllowedProblemWithAllow()
    {
        var response = await api.CreateClient().GetAsync("/api/v1/auth/token");

        var problem = await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.Contains("POST", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task WrongMethod_SignedIn_Is405MethodNotAllowedProblemWithAllow()
    {
        var admin = await api.SignInAsync("admin@demo.test");

        var response = await admin.DeleteAsync("/api/v1/processes");

        await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Contains("GET", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Preflight_FromAConfiguredOrigin_IsAllowedWithTheApiHeaders()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/exports");
        preflight.Headers.Add("Origin", FrontEnd);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization, content-type, idempotency-key");

        var response = await api.CreateClient().SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(FrontEnd, Single(response, "Access-Control-Allow-Origin"));
        var allowed = Single(response, "Access-Control-Allow-Headers").ToLowerInvariant();
        Assert.Contains("authorization", allowed);
        Assert.Contains("idempotency-key", allowed);
        Assert.Contains("POST", Single(response, "Access-Control-Allow-Methods"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Preflight_FromAnotherOrigin_GetsNoCorsHeaders()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/exports");
        preflight.Headers.Add("Origin", "https://evil.example.test");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        var response = await api.CreateClient().SendAsync(preflight);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task CrossOriginCall_FromAConfiguredOrigin_ExposesLocationAndRetryAfter()
    {
        var viewer = await api.SignInAsync("viewer@demo.test");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("Origin", FrontEnd);

        var response = await viewer.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FrontEnd, Single(response, "Access-Control-Allow-Origin"));
        var exposed = Single(response, "Access-Control-Expose-Headers");
        Assert.Contains("Location", exposed);
        Assert.Contains("Retry-After", exposed);
    }

    [Fact]
    public async Task Answers_JsonProblemsAndErrors_CarryTheSecurityHeaders()
    {
        var viewer = await api.SignInAsync("viewer@demo.test");
        var client = api.CreateClient();
        HttpResponseMessage[] answers =
        [
            await viewer.GetAsync("/api/v1/me"),
            await client.GetAsync("/api/v1/no-such-thing"),
            await client.PostAsync("/api/v1/auth/token", new StringContent("{not json", Encoding.UTF8, "application/json")),
            await client.GetAsync("/openapi/v1.json"),
        ];

        foreach (var response in answers)
        {
            Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
            Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
            Assert.Equal("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'", Single(response, "Content-Security-Policy"));
        }
    }

    [Fact]
    public async Task SwaggerUi_GoesWithoutTheRestrictiveCsp()
    {
        var response = await api.CreateClient().GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
    }

    private static string Single(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values) || response.Content.Headers.TryGetValues(header, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode} answer has no {header} header");

    /// <summary>The API with one front-end origin configured.</summary>
    public sealed class FrontEndOriginFactory : MoonflowApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Cors:Origins:0", FrontEnd);
        }
    }
}
