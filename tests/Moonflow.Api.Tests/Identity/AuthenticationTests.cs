using System.Net;
using System.Net.Http.Json;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Identity;

[Collection(ApiCollection.Name)]
public sealed class AuthenticationTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task IssueToken_WhenCredentialsAreRight_ReturnsBearerTokenThatOpensMe()
    {
        var client = api.CreateClient();

        var token = await (await client.PostAsJsonAsync("/api/v1/auth/token", new { tenant = "demo", email = "Admin@Demo.test", password = MoonflowApiFactory.Password }))
            .ReadJsonAsync();

        Assert.Equal("Bearer", token.GetProperty("tokenType").GetString());
        Assert.Equal(3600, token.GetProperty("expiresIn").GetInt32());
        client.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("accessToken").GetString());
        var me = await (await client.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.Equal("admin@demo.test", me.GetProperty("email").GetString());
        Assert.Equal("demo", me.GetProperty("tenant").GetProperty("slug").GetString());
        Assert.Equal("America/Bogota", me.GetProperty("tenant").GetProperty("timeZone").GetString());
        var permissions = me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Contains("backups.request", permissions);
        Assert.Contains("bulk.run", permissions);
    }

    [Theory]
    [InlineData("demo", "admin@demo.test", "wrong-password")]
    [InlineData("demo", "nobody@demo.test", MoonflowApiFactory.Password)]
    [InlineData("acme", "admin@demo.test", MoonflowApiFactory.Password)]
    [InlineData("no-such-tenant", "admin@demo.test", MoonflowApiFactory.Password)]
    public async Task IssueToken_WhenCredentialsAreWrong_Returns401ProblemThatRevealsNothing(string tenant, string email, string password)
    {
        var response = await api.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { tenant, email, password });

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal("The tenant, e-mail or password is not correct.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task IssueToken_WhenFieldsAreMissing_Returns400WithPerFieldErrors()
    {
        var response = await api.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { tenant = "", email = "" , password = "x" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("tenant", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("email", out _), errors.ToString());
        Assert.False(errors.TryGetProperty("password", out _), errors.ToString());
    }

    [Fact]
    public async Task IssueToken_WhenBodyIsNotJson_Returns400Problem()
    {
        var response = await api.CreateClient().PostAsync("/api/v1/auth/token", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("/api/v1/me")]
    [InlineData("/api/v1/processes")]
    [InlineData("/api/v1/clients")]
    public async Task Get_WhenNoTokenIsSent_Returns401Problem(string url)
    {
        var response = await api.CreateClient().GetAsync(url);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Get_WhenTokenIsForged_Returns401Problem()
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");

        var response = await client.GetAsync("/api/v1/me");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Me_WhenViewerSignsIn_ListsOnlyViewerPermissions()
    {
        var viewer = await api.SignInAsync("viewer@demo.test");

        var me = await (await viewer.GetAsync("/api/v1/me")).ReadJsonAsync();

        Assert.Equal("Viewer", me.GetProperty("roles")[0].GetString());
        var permissions = me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.DoesNotContain("bulk.run", permissions);
        Assert.DoesNotContain("backups.request", permissions);
        Assert.Contains("clients.read", permissions);
    }
}
