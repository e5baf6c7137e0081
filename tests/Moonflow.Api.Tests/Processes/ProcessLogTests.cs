using System.Net;
using System.Net.Http.Json;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Processes;

[Collection(ApiCollection.Name)]
public sealed class ProcessLogTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task ListProcesses_WhenSellerAsks_ShowsOnlyTheirOwnWhileAdminSeesTheTenants()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var admin = await api.SignInAsync("admin@demo.test");
        var ids = await TestClients.InsertAsync(api, "demo", 2, TestClients.UniqueTag("visibility"));
        var sellers = await seller.StartAsync("/api/v1/clients/bulk/tags", new { clientIds = ids, add = new[] { "s" } });
        var admins = await admin.StartAsync("/api/v1/clients/bulk/tags", new { clientIds = ids, add = new[] { "a" } });
        await admin.WaitForProcessAsync(sellers);
        await admin.WaitForProcessAsync(admins);

        var sellerView = await ListIdsAsync(seller, "/api/v1/processes?limit=200");
        var adminView = await ListIdsAsync(admin, "/api/v1/processes?limit=200");

        Assert.Contains(sellers, sellerView);
        Assert.DoesNotContain(admins, sellerView);
        Assert.Contains(sellers, adminView);
        Assert.Contains(admins, adminView);
        await (await seller.GetAsync($"/api/v1/processes/{admins}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task ListProcesses_WhenFilteredAndPaged_ReturnsNewestFirstOnePageAtATime()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var me = await (await admin.GetAsync("/api/v1/me")).ReadJsonAsync();
        var ids = await TestClients.InsertAsync(api, "demo", 1, TestClients.UniqueTag("paging"));
        var started = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            started.Add(await admin.StartAsync("/api/v1/clients/bulk/delete", new { clientIds = new[] { Guid.NewGuid() } }));
        }

        foreach (var id in started)
        {
            await admin.WaitForProcessAsync(id);
        }

        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToOffset(TimeSpan.FromHours(-5)).ToString("O"));
        var url = $"/api/v1/processes?type=clients_bulk_delete&status=completed_with_errors&from={since}&requestedBy={me.GetProperty("userId").GetGuid()}&limit=2";
        var first = await (await admin.GetAsync(url)).ReadJsonAsync();
        var second = await (await admin.GetAsync($"{url}&cursor={first.GetProperty("nextCursor").GetString()}")).ReadJsonAsync();

        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        var walked = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(p => p.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(started.AsEnumerable().Reverse().Take(3), walked.Take(3));
        Assert.All(first.GetProperty("items").EnumerateArray(), p => Assert.Equal("clients_bulk_delete", p.GetProperty("type").GetString()));
        Assert.NotEmpty(ids);
    }

    [Fact]
    public async Task ProcessEndpoints_WhenProcessBelongsToAnotherTenant_Return404()
    {
        var demoAdmin = await api.SignInAsync("admin@demo.test");
        var ids = await TestClients.InsertAsync(api, "demo", 1, TestClients.UniqueTag("tenancy"));
        var processId = await demoAdmin.StartAsync("/api/v1/clients/bulk/tags", new { clientIds = ids.Append(Guid.NewGuid()), add = new[] { "t" } });
        var process = await demoAdmin.WaitForProcessAsync(processId);
        var fileId = process.GetProperty("files")[0].GetProperty("id").GetGuid();
        var acmeAdmin = await api.SignInAsync("admin@acme.test", "acme");

        await (await acmeAdmin.GetAsync($"/api/v1/processes/{processId}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acmeAdmin.GetAsync($"/api/v1/processes/{processId}/items")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acmeAdmin.GetAsync($"/api/v1/processes/{processId}/files/{fileId}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acmeAdmin.GetAsync($"/api/v1/processes/{processId}/events")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acmeAdmin.PostAsync($"/api/v1/processes/{processId}/cancel", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.DoesNotContain(processId, await ListIdsAsync(acmeAdmin, "/api/v1/processes?limit=200"));
        Assert.Equal(HttpStatusCode.OK, (await demoAdmin.GetAsync($"/api/v1/processes/{processId}/files/{fileId}")).StatusCode);
    }

    [Fact]
    public async Task CancelProcess_WhenAlreadyFinished_Returns409()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var processId = await admin.StartAsync("/api/v1/clients/bulk/delete", new { clientIds = new[] { Guid.NewGuid() } });
        await admin.WaitForProcessAsync(processId);

        var response = await admin.PostAsync($"/api/v1/processes/{processId}/cancel", null);

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "process_not_active");
    }

    [Fact]
    public async Task ListProcesses_WhenViewerAsks_Returns403()
    {
        var viewer = await api.SignInAsync("viewer@demo.test");

        await (await viewer.GetAsync("/api/v1/processes")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task ListProcessItems_WhenOutcomeIsUnknown_Returns400ListingTheChoices()
    {
        var admin = await api.SignInAsync("admin@demo.test");

        var problem = await (await admin.GetAsync($"/api/v1/processes/{Guid.NewGuid()}/items?outcome=maybe"))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        Assert.Contains("succeeded, created, duplicate, failed", problem.GetProperty("errors").GetProperty("outcome")[0].GetString());
    }

    private static async Task<List<Guid>> ListIdsAsync(HttpClient client, string url) =>
        (await (await client.GetAsync(url)).ReadJsonAsync()).GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ToList();
}
