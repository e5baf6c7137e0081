using System.Net;
using Moonflow.Api.Tests.Exports;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Processes;

/// <summary>
/// Agents download trays, so they see processes — their own only: another user's process is not there for them, not
/// in the list, not by id, not its items, not its files (404, as if it did not exist).
/// </summary>
public sealed class AgentProcessVisibilityTests(AgentProcessVisibilityTests.AgentFactory api) : IClassFixture<AgentProcessVisibilityTests.AgentFactory>
{
    [Fact]
    public async Task ProcessLog_WhenAgentAsks_ShowsOnlyTheirOwnProcessesItemsAndFiles()
    {
        var agent = await api.SignInAsync("agent@demo.test");
        var seller = await api.SignInAsync("seller@demo.test");
        var today = ExportTestSupport.DemoToday;
        var own = await Completed(agent, new { tray = "clients", from = today.AddDays(-1), to = today, format = "csv" });
        var others = await Completed(seller, new { tray = "payment-orders", from = today.AddDays(-5), to = today, format = "csv" });
        var taggedBySeller = await seller.StartAsync(
            "/api/v1/clients/bulk/tags", new { clientIds = await TestClients.InsertAsync(api, "demo", 3, TestClients.UniqueTag("agent")), add = new[] { "x" } });
        await seller.WaitForProcessAsync(taggedBySeller);

        var list = await (await agent.GetAsync("/api/v1/processes?limit=200")).ReadJsonAsync();
        var listed = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(listed, p => p.GetProperty("id").GetGuid() == own.ProcessId);
        Assert.DoesNotContain(listed, p => p.GetProperty("id").GetGuid() == others.ProcessId || p.GetProperty("id").GetGuid() == taggedBySeller);
        var agentId = listed.First(p => p.GetProperty("id").GetGuid() == own.ProcessId).GetProperty("requestedBy").GetGuid();
        Assert.All(listed, p => Assert.Equal(agentId, p.GetProperty("requestedBy").GetGuid()));
        var sellersAsked = await (await agent.GetAsync($"/api/v1/processes?requestedBy={others.RequestedBy}")).ReadJsonAsync();
        Assert.Empty(sellersAsked.GetProperty("items").EnumerateArray());

        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync($"/api/v1/processes/{own.ProcessId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync($"/api/v1/processes/{own.ProcessId}/items")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync($"/api/v1/processes/{own.ProcessId}/files/{own.FileId}")).StatusCode);
        foreach (var url in new[]
                 {
                     $"/api/v1/processes/{others.ProcessId}", $"/api/v1/processes/{others.ProcessId}/items",
                     $"/api/v1/processes/{others.ProcessId}/files/{others.FileId}", $"/api/v1/processes/{others.ProcessId}/events",
                     $"/api/v1/processes/{taggedBySeller}", $"/api/v1/processes/{taggedBySeller}/items",
                 })
        {
            await (await agent.GetAsync(url)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        }

        await (await agent.PostAsync($"/api/v1/processes/{others.ProcessId}/cancel", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await agent.GetAsync($"/api/v1/exports/{others.ExportId}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.OK, (await seller.GetAsync($"/api/v1/processes/{others.ProcessId}/files/{others.FileId}")).StatusCode);
    }

    private static async Task<(Guid ExportId, Guid ProcessId, Guid FileId, Guid RequestedBy)> Completed(HttpClient client, object body)
    {
        var accepted = await (await client.RequestAsync(body)).ReadJsonAsync(HttpStatusCode.Accepted);
        var export = await client.WaitForExportAsync(accepted.GetProperty("exportId").GetGuid());
        Assert.Equal("completed", export.GetProperty("status").GetString());
        return (export.GetProperty("id").GetGuid(), export.GetProperty("processId").GetGuid(), export.GetProperty("fileId").GetGuid(),
            export.GetProperty("requestedBy").GetGuid());
    }

    /// <summary>Downloads hold per-tenant state (one per tray at a time): a database of their own.</summary>
    public sealed class AgentFactory : MoonflowApiFactory;
}
