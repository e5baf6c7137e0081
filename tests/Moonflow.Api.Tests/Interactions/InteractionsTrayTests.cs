using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Interactions;

[Collection(ApiCollection.Name)]
public sealed class InteractionsTrayTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task ListInteractions_WhenFiltered_ReturnsOnlyMatchingRowsNewestFirst()
    {
        var viewer = await api.SignInAsync("viewer@demo.test");
        var from = DateTimeOffset.UtcNow.AddDays(-30).ToOffset(TimeSpan.FromHours(-5)); // a Bogota front end sends its offset

        var page = await (await viewer.GetAsync($"/api/v1/interactions?channel=whatsapp,sms&status=read&status=delivered&from={Uri.EscapeDataString(from.ToString("O"))}&limit=200&fields=channel,status,sentAt"))
            .ReadJsonAsync();

        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.Contains(i.GetProperty("channel").GetString(), new[] { "whatsapp", "sms" }));
        Assert.All(items, i => Assert.Contains(i.GetProperty("status").GetString(), new[] { "read", "delivered" }));
        var sent = items.Select(i => i.GetProperty("sentAt").GetDateTimeOffset()).ToList();
        Assert.All(sent, s => Assert.True(s >= from));
        Assert.Equal(sent.OrderDescending(), sent);
    }

    [Fact]
    public async Task ListInteractions_WhenFieldsAreChosen_ReturnsOnlyThoseColumnsAndTheId()
    {
        var viewer = await api.SignInAsync("viewer@demo.test");

        var page = await (await viewer.GetAsync("/api/v1/interactions?fields=channel,template&limit=3")).ReadJsonAsync();

        Assert.Equal(["channel", "template"], page.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        Assert.All(page.GetProperty("items").EnumerateArray(), i =>
            Assert.Equal(["id", "channel", "template"], i.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public async Task ListInteractions_WhenFieldIsUnknown_Returns400NamingIt()
    {
        var viewer = await api.SignInAsync("viewer@demo.test");

        var problem = await (await viewer.GetAsync("/api/v1/interactions?fields=channel,shoeSize")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        Assert.Contains("shoeSize", problem.GetProperty("errors").GetProperty("fields")[0].GetString());
    }

    [Theory]
    [InlineData("status=shouted")]
    [InlineData("channel=pigeon")]
    [InlineData("sort=name")]
    [InlineData("limit=500")]
    public async Task ListInteractions_WhenAFilterIsInvalid_Returns400(string query)
    {
        var viewer = await api.SignInAsync("viewer@demo.test");

        await (await viewer.GetAsync($"/api/v1/interactions?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task ColumnPreferences_WhenSaved_AreUsedByListsWithoutFieldsForThatUserOnly()
    {
        var agent = await api.SignInAsync("agent@demo.test");
        var viewer = await api.SignInAsync("viewer@demo.test");
        var defaults = await (await agent.GetAsync("/api/v1/me/preferences/columns/interactions")).ReadJsonAsync();
        var catalog = await (await agent.GetAsync("/api/v1/interactions/columns")).ReadJsonAsync();
        Assert.Equal(
            catalog.EnumerateArray().Where(c => c.GetProperty("shownByDefault").GetBoolean()).Select(c => c.GetProperty("key").GetString()),
            defaults.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));

        var saved = await agent.PutAsJsonAsync("/api/v1/me/preferences/columns/interactions", new { columns = new[] { "clientName", "errorMessage" } });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        var agentPage = await (await agent.GetAsync("/api/v1/interactions?limit=2")).ReadJsonAsync();
        Assert.Equal(["clientName", "errorMessage"], agentPage.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["id", "clientName", "errorMessage"], agentPage.GetProperty("items")[0].EnumerateObject().Select(p => p.Name));
        var viewerPage = await (await viewer.GetAsync("/api/v1/interactions?limit=2")).ReadJsonAsync();
        Assert.Equal(defaults.GetProperty("columns").GetArrayLength(), viewerPage.GetProperty("columns").GetArrayLength());
    }

    [Fact]
    public async Task ColumnPreferences_WhenAKeyIsUnknown_Returns400AndKeepsTheOldChoice()
    {
        var seller = await api.SignInAsync("seller@demo.test");

        var response = await seller.PutAsJsonAsync("/api/v1/me/preferences/columns/interactions", new { columns = new[] { "channel", "favouriteColour" } });
        var unknownTray = await seller.GetAsync("/api/v1/me/preferences/columns/spaceships");

        Assert.Contains("favouriteColour", (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").ToString());
        await unknownTray.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task ListInteractions_WhenWalkingEveryPageWhileNewOnesArrive_ReturnsEachExistingOneExactlyOnceInOrder()
    {
        var viewer = await api.SignInAsync("viewer@demo.test");
        var clientId = (await TestClients.InsertAsync(api, "demo", 1, TestClients.UniqueTag("walk")))[0];
        await InsertInteractionsAsync(clientId, 230, DateTimeOffset.UtcNow.AddDays(-3));
        var seen = new List<(DateTimeOffset At, Guid Id)>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await viewer.GetAsync($"/api/v1/interactions?clientId={clientId}&limit=50&fields=sentAt{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("sentAt").GetDateTimeOffset(), i.GetProperty("id").GetGuid())));
            cursor = page.GetProperty("nextCursor").GetString();
            if (++pages == 2)
            {
                await InsertInteractionsAsync(clientId, 20, DateTimeOffset.UtcNow); // newer than everything walked so far
            }
        }
        while (cursor is not null);

        Assert.Equal(230, seen.Count);
        Assert.Equal(230, seen.Select(s => s.Id).Distinct().Count());
        Assert.Equal(seen.OrderByDescending(s => s.At).ThenByDescending(s => s.Id.ToString()).Select(s => s.Id), seen.Select(s => s.Id));
    }

    [Fact]
    public async Task GetInteraction_WhenItBelongsToAnotherTenant_Returns404()
    {
        var acmeAdmin = await api.SignInAsync("admin@acme.test", "acme");
        var acmeInteraction = (await (await acmeAdmin.GetAsync("/api/v1/interactions?limit=1")).ReadJsonAsync()).GetProperty("items")[0].GetProperty("id").GetGuid();
        var demoAdmin = await api.SignInAsync("admin@demo.test");

        await (await demoAdmin.GetAsync($"/api/v1/interactions/{acmeInteraction}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var full = await (await acmeAdmin.GetAsync($"/api/v1/interactions/{acmeInteraction}")).ReadJsonAsync();
        Assert.Equal(JsonValueKind.String, full.GetProperty("recipients").ValueKind);
        var demoIds = await ListAllIdsAsync(demoAdmin, "/api/v1/interactions?limit=200&fields=channel", pagesToRead: 3);
        Assert.DoesNotContain(acmeInteraction, demoIds);
    }

    private Task<int> InsertInteractionsAsync(Guid clientId, int count, DateTimeOffset newest) =>
        api.WithDbAsync(async db =>
        {
            await using var command = new Npgsql.NpgsqlCommand(
                """
                INSERT INTO interactions.interactions (id, tenant_id, client_id, client_document_type, client_document_number, client_name,
                    direction, channel, status, sent_at, send_at, recipients, source, created_at)
                SELECT gen_random_uuid(), c.tenant_id, c.id, c.document_type, c.document_number, c.name, 'Outbound', 'Sms', 'Sent',
                       @newest - make_interval(mins => (g / 2)), @newest - make_interval(mins => (g / 2)), '+57 300' || g, 'Platform', now()
                FROM receivables.clients c, generate_series(1, @count) g WHERE c.id = @client
                """,
                db);
            command.Parameters.AddWithValue("newest", newest);
            command.Parameters.AddWithValue("count", count);
            command.Parameters.AddWithValue("client", clientId);
            return await command.ExecuteNonQueryAsync();
        });

    private static async Task<List<Guid>> ListAllIdsAsync(HttpClient client, string url, int pagesToRead)
    {
        var ids = new List<Guid>();
        string? cursor = null;
        for (var i = 0; i < pagesToRead; i++)
        {
            var page = await (await client.GetAsync(cursor is null ? url : $"{url}&cursor={cursor}")).ReadJsonAsync();
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
            if (cursor is null)
            {
                break;
            }
        }

        return ids;
    }
}
