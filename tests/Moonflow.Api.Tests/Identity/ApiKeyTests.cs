using System.Net;
using System.Net.Http.Json;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Identity;

[Collection(ApiCollection.Name)]
public sealed class ApiKeyTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task CreateApiKey_WhenAdminAsks_ReturnsSecretOnceThatActsAsTheTenantWithItsPermissions()
    {
        var admin = await api.SignInAsync("admin@demo.test");

        var created = await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "ERP sync", permissions = new[] { "clients.read" } }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var key = created.GetProperty("key").GetString()!;

        var partner = api.CreateClient();
        partner.DefaultRequestHeaders.Add("X-Api-Key", key);
        var clients = await (await partner.GetAsync("/api/v1/clients?limit=5")).ReadJsonAsync();
        Assert.Equal(5, clients.GetProperty("items").GetArrayLength());

        var bulk = await partner.PostAsJsonAsync("/api/v1/clients/bulk/delete", new { clientIds = new[] { Guid.NewGuid() } });
        await bulk.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        var listed = await (await admin.GetAsync("/api/v1/api-keys")).ReadJsonAsync();
        var entry = listed.EnumerateArray().Single(k => k.GetProperty("id").GetGuid() == created.GetProperty("id").GetGuid());
        Assert.False(entry.TryGetProperty("key", out _), "the secret must never be listed");
    }

    [Fact]
    public async Task RevokeApiKey_WhenRevoked_TheKeyIsRefusedAtOnce()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var created = await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "Temporary", permissions = new[] { "clients.read" } }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var partner = api.CreateClient();
        partner.DefaultRequestHeaders.Add("X-Api-Key", created.GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync("/api/v1/clients")).StatusCode);

        var revoke = await admin.PostAsync($"/api/v1/api-keys/{created.GetProperty("id").GetGuid()}/revoke", null);

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        await (await partner.GetAsync("/api/v1/clients")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task CreateApiKey_WhenSellerAsks_Returns403Problem()
    {
        var seller = await api.SignInAsync("seller@demo.test");

        var response = await seller.PostAsJsonAsync("/api/v1/api-keys", new { name = "Mine", permissions = new[] { "clients.read" } });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task CreateApiKey_WhenPermissionIsUnknown_Returns400NamingIt()
    {
        var admin = await api.SignInAsync("admin@demo.test");

        var response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "Bad", permissions = new[] { "everything" } });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("everything", problem.GetProperty("errors").ToString());
    }

    [Fact]
    public async Task ApiKey_WhenKeyIsMadeUp_Returns401Problem()
    {
        var partner = api.CreateClient();
        partner.DefaultRequestHeaders.Add("X-Api-Key", "mf_000000000000_not-a-real-secret");

        await (await partner.GetAsync("/api/v1/clients")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }
}
