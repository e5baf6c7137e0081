using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moonflow.Api.Tests.Support;
using Npgsql;
using OfficeOpenXml;

namespace Moonflow.Api.Tests.Processes;

[Collection(ApiCollection.Name)]
public sealed class BulkClientActionsTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task BulkTag_WhenFilterMatches500Clients_CompletesWithExactCountsItemsAndNotification()
    {
        var tag = TestClients.UniqueTag("bulk");
        await TestClients.InsertAsync(api, "demo", 500, tag);
        var seller = await api.SignInAsync("seller@demo.test");

        var processId = await seller.StartAsync("/api/v1/clients/bulk/tags", new { filter = new { tag }, add = new[] { "Campaña-Q4" }, remove = new[] { tag } });
        await TestClients.InsertAsync(api, "demo", 7, tag); // arrives after acceptance: not a target
        var process = await seller.WaitForProcessAsync(processId);

        Assert.Equal("completed", process.GetProperty("status").GetString());
        Assert.Equal("clients_bulk_tag", process.GetProperty("type").GetString());
        Assert.Equal("seller@demo.test", process.GetProperty("requestedByName").GetString());
        Assert.Equal(500, process.GetProperty("total").GetInt64());
        Assert.Equal(500, process.GetProperty("processed").GetInt64());
        Assert.Equal(500, process.GetProperty("succeeded").GetInt64());
        Assert.Equal(0, process.GetProperty("failed").GetInt64());
        Assert.Equal(100, process.GetProperty("progressPercent").GetInt32());
        Assert.Equal(JsonValueKind.Array, process.GetProperty("parameters").GetProperty("add").ValueKind);

        var items = await ReadAllItemsAsync(seller, processId);
        Assert.Equal(500, items.Count);
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), items.Select(i => i.GetProperty("seq").GetInt64()));
        Assert.All(items, i => Assert.Equal("succeeded", i.GetProperty("outcome").GetString()));
        Assert.All(items, i => Assert.StartsWith("cc ", i.GetProperty("recordKey").GetString(), StringComparison.OrdinalIgnoreCase));

        var (tagged, stillOld) = await api.WithDbAsync(async db =>
        {
            await using var count = new NpgsqlCommand(
                "SELECT count(*) FILTER (WHERE 'campaña-q4' = ANY(tags)), count(*) FILTER (WHERE @tag = ANY(tags)) FROM receivables.clients", db);
            count.Parameters.AddWithValue("tag", tag);
            await using var reader = await count.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (reader.GetInt64(0), reader.GetInt64(1));
        });
        Assert.Equal(500, tagged);
        Assert.Equal(7, stillOld);

        var notifications = await (await seller.GetAsync("/api/v1/notifications?unreadOnly=true")).ReadJsonAsync();
        var notification = notifications.GetProperty("items").EnumerateArray().Single(n => n.GetProperty("processId").GetGuid() == processId);
        Assert.Contains("500 of 500", notification.GetProperty("message").GetString());
        var read = await seller.PostAsync($"/api/v1/notifications/{notification.GetProperty("id").GetGuid()}/read", null);
        Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
        var after = await (await seller.GetAsync("/api/v1/notifications?unreadOnly=true")).ReadJsonAsync();
        Assert.DoesNotContain(after.GetProperty("items").EnumerateArray(), n => n.GetProperty("processId").GetGuid() == processId);
    }

    [Fact]
    public async Task BulkTag_WhenSomeIdsAreUnknownOrForeign_CompletesWithErrorsAndAnErrorWorkbook()
    {
        var tag = TestClients.UniqueTag("mixed");
        var ours = await TestClients.InsertAsync(api, "demo", 3, tag);
        var foreign = (await TestClients.InsertAsync(api, "acme", 1, tag))[0];
        var unknown = Guid.NewGuid();
        var admin = await api.SignInAsync("admin@demo.test");

        var processId = await admin.StartAsync("/api/v1/clients/bulk/tags", new { clientIds = ours.Append(foreign).Append(unknown), add = new[] { "=HYPERLINK(\"x\")" } });
        var process = await admin.WaitForProcessAsync(processId);

        Assert.Equal("completed_with_errors", process.GetProperty("status").GetString());
        Assert.Equal(5, process.GetProperty("total").GetInt64());
        Assert.Equal(3, process.GetProperty("succeeded").GetInt64());
        Assert.Equal(2, process.GetProperty("failed").GetInt64());
        var failedItems = (await (await admin.GetAsync($"/api/v1/processes/{processId}/items?outcome=failed")).ReadJsonAsync()).GetProperty("items");
        Assert.Equal(
            new[] { foreign.ToString(), unknown.ToString() }.Order(),
            failedItems.EnumerateArray().Select(i => i.GetProperty("recordKey").GetString()).Order());
        Assert.All(failedItems.EnumerateArray(), i => Assert.Contains("not found", i.GetProperty("message").GetString()));

        var foreignTags = await api.WithDbAsync(async db =>
        {
            await using var command = new NpgsqlCommand("SELECT tags FROM receivables.clients WHERE id = @id", db);
            command.Parameters.AddWithValue("id", foreign);
            return (string[])(await command.ExecuteScalarAsync())!;
        });
        Assert.Equal([tag], foreignTags);

        var file = process.GetProperty("files").EnumerateArray().Single();
        Assert.Equal("error_report", file.GetProperty("kind").GetString());
        var download = await admin.GetAsync($"/api/v1/processes/{processId}/files/{file.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(file.GetProperty("fileName").GetString(), download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var workbook = new ExcelPackage(new MemoryStream(await download.Content.ReadAsByteArrayAsync()));
        var sheet = workbook.Workbook.Worksheets["Errors"];
        Assert.Equal("Record", sheet.Cells[1, 2].Text);
        Assert.Equal("Error", sheet.Cells[1, 3].Text);
        Assert.Equal(3, sheet.Dimension.End.Row);
        var reported = new[] { sheet.Cells[2, 2].Text, sheet.Cells[3, 2].Text };
        Assert.Equal(new[] { foreign.ToString(), unknown.ToString() }.Order(), reported.Order());
    }

    [Fact]
    public async Task BulkDelete_WhenIdsAreListed_DeletesThemAndKeepsWhoWasDeletedInTheItems()
    {
        var ids = await TestClients.InsertAsync(api, "demo", 4, TestClients.UniqueTag("delete"));
        var admin = await api.SignInAsync("admin@demo.test");

        var processId = await admin.StartAsync("/api/v1/clients/bulk/delete", new { clientIds = ids });
        var process = await admin.WaitForProcessAsync(processId);

        Assert.Equal("completed", process.GetProperty("status").GetString());
        Assert.Equal(4, process.GetProperty("succeeded").GetInt64());
        foreach (var id in ids)
        {
            await (await admin.GetAsync($"/api/v1/clients/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        }

        var items = await ReadAllItemsAsync(admin, processId);
        Assert.All(items, i => Assert.StartsWith("Deleted Test client", i.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("viewer@demo.test")]
    [InlineData("agent@demo.test")]
    public async Task BulkTag_WhenCallerMayNotRunBulkActions_Returns403AndStartsNothing(string email)
    {
        var caller = await api.SignInAsync(email);

        var response = await caller.PostAsJsonAsync("/api/v1/clients/bulk/tags", new { clientIds = new[] { Guid.NewGuid() }, add = new[] { "x" } });

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Contains("bulk.run", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task BulkTag_WhenSelectionIsMissingOrDouble_Returns400NamingTheField()
    {
        var seller = await api.SignInAsync("seller@demo.test");

        var neither = await seller.PostAsJsonAsync("/api/v1/clients/bulk/tags", new { add = new[] { "x" } });
        var both = await seller.PostAsJsonAsync("/api/v1/clients/bulk/tags", new { clientIds = new[] { Guid.NewGuid() }, filter = new { tag = "x" }, add = new[] { "x" } });
        var noTags = await seller.PostAsJsonAsync("/api/v1/clients/bulk/tags", new { clientIds = new[] { Guid.NewGuid() } });

        Assert.True((await neither.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("clientIds", out _));
        Assert.True((await both.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("clientIds", out _));
        Assert.True((await noTags.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("add", out _));
    }

    internal static async Task<List<JsonElement>> ReadAllItemsAsync(HttpClient client, Guid processId)
    {
        var items = new List<JsonElement>();
        long? after = null;
        do
        {
            var page = await (await client.GetAsync($"/api/v1/processes/{processId}/items?limit=200{(after is null ? "" : $"&after={after}")}")).ReadJsonAsync();
            items.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.Clone()));
            after = page.GetProperty("nextAfter").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextAfter").GetInt64();
        }
        while (after is not null);

        return items;
    }
}
