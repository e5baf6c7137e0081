using System.Net;
using System.Net.Http.Json;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Receivables;

[Collection(ApiCollection.Name)]
public sealed class ClientsTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task CreateClient_WhenValid_Returns201AndTheClientCanBeReadBack()
    {
        var agent = await api.SignInAsync("agent@demo.test");
        var number = Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var response = await agent.PostAsJsonAsync("/api/v1/clients", new
        {
            documentType = "nit", documentNumber = number, name = "Ferretería El Tornillo", email = "pagos@tornillo.example", tags = new[] { " VIP ", "vip", "Norte" },
        });

        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/clients/{created.GetProperty("id").GetGuid()}", response.Headers.Location?.ToString());
        Assert.Equal(["norte", "vip"], created.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Order());
        var read = await (await agent.GetAsync(response.Headers.Location)).ReadJsonAsync();
        Assert.Equal("nit", read.GetProperty("documentType").GetString());
        Assert.Equal(number, read.GetProperty("documentNumber").GetString());
    }

    [Fact]
    public async Task CreateClient_WhenDocumentAlreadyExists_Returns409ClientExists()
    {
        var agent = await api.SignInAsync("agent@demo.test");
        var body = new { documentType = "cc", documentNumber = "55500011", name = "Primera" };
        await agent.PostAsJsonAsync("/api/v1/clients", body);

        var second = await agent.PostAsJsonAsync("/api/v1/clients", body with { name = "Segunda" });

        await second.AssertProblemAsync(HttpStatusCode.Conflict, "client_exists");
    }

    [Fact]
    public async Task CreateClient_WhenFieldsAreInvalid_Returns400WithEachField()
    {
        var agent = await api.SignInAsync("agent@demo.test");

        var response = await agent.PostAsJsonAsync("/api/v1/clients", new { documentType = "cc", documentNumber = "12 34;--", name = "", email = "not-an-email" });

        var errors = (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.True(errors.TryGetProperty("documentNumber", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("name", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("email", out _), errors.ToString());
    }

    [Fact]
    public async Task ListClients_WhenWalkingAllPages_ReturnsEachMatchingClientOnceInIdOrder()
    {
        var tag = TestClients.UniqueTag("page");
        var ids = await TestClients.InsertAsync(api, "demo", 23, tag);
        var viewer = await api.SignInAsync("viewer@demo.test");

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await viewer.GetAsync($"/api/v1/clients?tag={tag}&limit=10{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(ids.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
        // Ids are time-ordered (UUIDv7) for clients the API creates, so id order is newest first.
        Assert.Equal(seen.OrderByDescending(id => id.ToString()).ToList(), seen);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=201")]
    [InlineData("cursor=garbage")]
    [InlineData("documentType=passport")]
    public async Task ListClients_WhenQueryIsInvalid_Returns400(string query)
    {
        var viewer = await api.SignInAsync("viewer@demo.test");

        await (await viewer.GetAsync($"/api/v1/clients?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task GetClient_WhenClientBelongsToAnotherTenant_Returns404()
    {
        var acmeClientId = (await TestClients.InsertAsync(api, "acme", 1, TestClients.UniqueTag("acme")))[0];
        var demoAdmin = await api.SignInAsync("admin@demo.test");

        await (await demoAdmin.GetAsync($"/api/v1/clients/{acmeClientId}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var acmeAdmin = await api.SignInAsync("admin@acme.test", "acme");
        Assert.Equal(HttpStatusCode.OK, (await acmeAdmin.GetAsync($"/api/v1/clients/{acmeClientId}")).StatusCode);
    }
}
