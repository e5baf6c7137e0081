using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Crm;

[Collection(ApiCollection.Name)]
public sealed class CrmDataTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task CreateContact_WhenValid_IsReadBackAndADuplicateDocumentIsRefused()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var baseId = await CrmTestData.BaseAsync(admin);
        var lotId = await CrmTestData.LotAsync(admin);
        var document = Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = new
        {
            name = "Valentina Torres", documentType = "cc", documentNumber = document, phones = new[] { "+57 3005556677" }, email = "vale@example.com",
            details = new { ciudad = "Medellín", saldo = 125000 }, tags = new[] { "VIP" }, doNotCall = false, lotId, baseIds = new[] { baseId },
        };

        var response = await admin.PostAsJsonAsync("/api/v1/crm/contacts", body);
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        var read = await (await admin.GetAsync($"/api/v1/crm/contacts/{id}")).ReadJsonAsync();

        Assert.Equal($"/api/v1/crm/contacts/{id}", response.Headers.Location?.ToString());
        Assert.Equal("CC", read.GetProperty("documentType").GetString());
        Assert.Equal("Medellín", read.GetProperty("details").GetProperty("ciudad").GetString());
        Assert.Equal(["vip"], read.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(baseId, read.GetProperty("baseIds")[0].GetGuid());
        Assert.True(read.GetProperty("dialable").GetBoolean());
        await (await admin.PostAsJsonAsync("/api/v1/crm/contacts", body)).AssertProblemAsync(HttpStatusCode.Conflict, "contact_exists");
    }

    [Fact]
    public async Task CreateContact_WhenNoDocumentNorPhoneOrAForeignLot_IsRefused()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var acme = await api.SignInAsync("admin@acme.test", "acme");
        var foreignLot = await CrmTestData.LotAsync(acme);

        var unkeyed = await admin.PostAsJsonAsync("/api/v1/crm/contacts", new { name = "Sin clave" });
        var foreign = await admin.PostAsJsonAsync("/api/v1/crm/contacts", new { name = "Ajeno", phones = new[] { "300" }, lotId = foreignLot });

        Assert.True((await unkeyed.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("phones", out _));
        await foreign.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task ListContacts_WhenFiltered_ReturnsExactlyTheMatchingContactsPageByPage()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var baseId = await CrmTestData.BaseAsync(admin);
        var lotId = await CrmTestData.LotAsync(admin);
        var user = await CrmTestData.UserIdAsync(await api.SignInAsync("agent@demo.test"));
        var tag = CrmTestData.Unique("t");
        await CrmTestData.ContactsAsync(api, "demo", 12, baseId, lotId, attempts: i => i, user: i => i % 2 == 0 ? user : null, doNotCall: i => i % 4 == 0, tag: tag);
        await CrmTestData.ContactsAsync(api, "demo", 3, null, lotId, tag: tag);

        async Task<int> CountAsync(string query)
        {
            var total = 0;
            string? cursor = null;
            do
            {
                var page = await (await admin.GetAsync($"/api/v1/crm/contacts?{query}&limit=5{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync();
                total += page.GetProperty("items").GetArrayLength();
                cursor = page.GetProperty("nextCursor").GetString();
            }
            while (cursor is not null);
            return total;
        }

        Assert.Equal(12, await CountAsync($"baseId={baseId}"));
        Assert.Equal(15, await CountAsync($"lotId={lotId}"));
        Assert.Equal(15, await CountAsync($"tag={tag.ToUpperInvariant()}"));
        Assert.Equal(3, await CountAsync($"baseId={baseId}&doNotCall=true"));
        Assert.Equal(4, await CountAsync($"baseId={baseId}&attemptsMin=3&attemptsMax=6"));
        Assert.Equal(6, await CountAsync($"baseId={baseId}&userId={user}"));
    }

    [Fact]
    public async Task ListContacts_WhenAFilterIsUnknownOrAnIdIsAnotherTenants_Returns400Or404()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var acme = await api.SignInAsync("admin@acme.test", "acme");
        var foreignBase = await CrmTestData.BaseAsync(acme);
        var foreignContact = (await CrmTestData.ContactsAsync(api, "acme", 1, foreignBase, null))[0];

        var unknown = await admin.GetAsync("/api/v1/crm/contacts?baseld=" + Guid.NewGuid());
        var problem = await unknown.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("baseld", out _));
        await (await admin.GetAsync($"/api/v1/crm/contacts?baseId={foreignBase}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.GetAsync($"/api/v1/crm/contacts/{foreignContact}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.GetAsync($"/api/v1/crm/contacts/{foreignContact}/calls")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.GetAsync("/api/v1/crm/agendas?owner=" + Guid.NewGuid())).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task LogCall_WhenLogged_UpdatesAttemptsLastContactUserAndSubcategory()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var agent = await api.SignInAsync("agent@demo.test");
        var agentId = await CrmTestData.UserIdAsync(agent);
        var promise = (await CrmTestData.SubcategoriesAsync(admin, "Promesa de pago"))[0];
        var contact = (await CrmTestData.ContactsAsync(api, "demo", 1, null, null))[0];
        var at = DateTimeOffset.UtcNow.AddMinutes(-3).ToOffset(TimeSpan.FromHours(-5)); // a local time: kept as the instant it is

        var call = await (await agent.PostAsJsonAsync($"/api/v1/crm/contacts/{contact}/calls", new { subcategoryId = promise, durationSeconds = 140, note = "Paga el viernes", at }))
            .ReadJsonAsync(HttpStatusCode.Created);
        await agent.PostAsJsonAsync($"/api/v1/crm/contacts/{contact}/calls", new { durationSeconds = 5, at = at.AddMinutes(-10) });

        var read = await (await agent.GetAsync($"/api/v1/crm/contacts/{contact}")).ReadJsonAsync();
        Assert.Equal(2, read.GetProperty("attempts").GetInt32());
        Assert.Equal(agentId, read.GetProperty("lastUserId").GetGuid());
        Assert.Equal(promise, read.GetProperty("subcategoryId").GetGuid());
        Assert.Equal(at.ToUnixTimeMilliseconds(), read.GetProperty("lastContactAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        var calls = await CrmTestData.ItemsAsync(agent, $"/api/v1/crm/contacts/{contact}/calls");
        Assert.Equal(2, calls.Count);
        Assert.Equal(call.GetProperty("id").GetGuid(), calls[0].GetProperty("id").GetGuid());
        Assert.Equal("Paga el viernes", calls[0].GetProperty("note").GetString());
    }

    [Fact]
    public async Task LogCall_WhenTheSubcategoryIsAnotherTenantsOrTheCallerAViewer_IsRefused()
    {
        var acme = await api.SignInAsync("admin@acme.test", "acme");
        var foreignSub = (await CrmTestData.SubcategoriesAsync(acme, "No contesta"))[0];
        var contact = (await CrmTestData.ContactsAsync(api, "demo", 1, null, null))[0];
        var agent = await api.SignInAsync("agent@demo.test");
        var viewer = await api.SignInAsync("viewer@demo.test");

        await (await agent.PostAsJsonAsync($"/api/v1/crm/contacts/{contact}/calls", new { subcategoryId = foreignSub, durationSeconds = 1 }))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await viewer.PostAsJsonAsync($"/api/v1/crm/contacts/{contact}/calls", new { durationSeconds = 1 })).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(0, await CrmTestData.ScalarAsync<int>(api, "SELECT attempts FROM crm.contacts WHERE id = @id", ("id", contact)));
    }

    [Fact]
    public async Task BasesAndLots_WhenListed_CountTheirContacts()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var baseId = await CrmTestData.BaseAsync(admin);
        var lotId = await CrmTestData.LotAsync(admin);
        await CrmTestData.ContactsAsync(api, "demo", 4, baseId, lotId);
        await CrmTestData.ContactsAsync(api, "demo", 2, null, lotId);

        var bases = await CrmTestData.AllItemsAsync(admin, "/api/v1/crm/bases");
        var lots = await CrmTestData.AllItemsAsync(admin, "/api/v1/crm/lots");

        Assert.Equal(4, bases.Single(b => b.GetProperty("id").GetGuid() == baseId).GetProperty("contactCount").GetInt64());
        Assert.Equal(6, lots.Single(l => l.GetProperty("id").GetGuid() == lotId).GetProperty("contactCount").GetInt64());
        var viewer = await api.SignInAsync("viewer@demo.test");
        await (await viewer.PostAsJsonAsync("/api/v1/crm/bases", new { name = "No" })).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Agendas_WhenAnAgentLists_TheySeeAndCloseOnlyTheirOwn()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var agent = await api.SignInAsync("agent@demo.test");
        var (agentId, sellerId) = (await CrmTestData.UserIdAsync(agent), await CrmTestData.UserIdAsync(await api.SignInAsync("seller@demo.test")));
        var contact = (await CrmTestData.ContactsAsync(api, "demo", 1, null, null))[0];
        var due = DateTimeOffset.UtcNow.AddYears(5).AddDays(Random.Shared.Next(1000));

        var own = await CrmTestData.CreateAsync(agent, "/api/v1/crm/agendas", new { contactId = contact, dueAt = due, note = "Llamar" });
        var sellers = await CrmTestData.CreateAsync(admin, "/api/v1/crm/agendas", new { contactId = contact, ownerId = sellerId, dueAt = due });
        var forOther = await agent.PostAsJsonAsync("/api/v1/crm/agendas", new { contactId = contact, ownerId = sellerId, dueAt = due });

        await forOther.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var seen = await CrmTestData.ItemsAsync(agent, $"/api/v1/crm/agendas?contactId={contact}&limit=200");
        Assert.Equal([own], seen.Select(a => a.GetProperty("id").GetGuid()));
        Assert.Equal(agentId, seen[0].GetProperty("ownerId").GetGuid());
        var all = await CrmTestData.ItemsAsync(admin, $"/api/v1/crm/agendas?contactId={contact}&status=pending");
        Assert.Equal(2, all.Count);
        await (await agent.PostAsync($"/api/v1/crm/agendas/{sellers}/complete", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");

        var done = await (await agent.PostAsync($"/api/v1/crm/agendas/{own}/complete", null)).ReadJsonAsync();
        Assert.Equal("done", done.GetProperty("status").GetString());
        await (await agent.PostAsync($"/api/v1/crm/agendas/{own}/cancel", null)).AssertProblemAsync(HttpStatusCode.Conflict, "agenda_not_pending");
        var cancelled = await (await admin.PostAsync($"/api/v1/crm/agendas/{sellers}/cancel", null)).ReadJsonAsync();
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Single(await CrmTestData.ItemsAsync(admin, $"/api/v1/crm/agendas?contactId={contact}&status=done"));
    }

    [Fact]
    public async Task Conversations_WhenListed_FilterByStatusAndChannelWithinTheTenant()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var prefix = CrmTestData.Unique("wa");
        await api.WithDbAsync(async db =>
        {
            var demo = await CrmTestData.TenantIdAsync(db, "demo");
            var acme = await CrmTestData.TenantIdAsync(db, "acme");
            await using var insert = new Npgsql.NpgsqlCommand(
                """
                INSERT INTO crm.conversations (id, tenant_id, external_id, channel, contact_id, status, subcategory_id, opened_at, closed_at, closed_by)
                SELECT gen_random_uuid(), CASE WHEN g = 5 THEN @acme ELSE @demo END, @prefix || g, CASE WHEN g % 2 = 0 THEN 'Whatsapp' ELSE 'Webchat' END,
                       NULL, CASE WHEN g <= 2 THEN 'Closed' ELSE 'Open' END, NULL, now(), NULL, NULL
                FROM generate_series(1, 5) g
                """,
                db);
            insert.Parameters.AddWithValue("demo", demo);
            insert.Parameters.AddWithValue("acme", acme);
            insert.Parameters.AddWithValue("prefix", prefix);
            return await insert.ExecuteNonQueryAsync();
        });

        var open = await CrmTestData.AllItemsAsync(admin, "/api/v1/crm/conversations?status=open");
        var whatsapp = await CrmTestData.AllItemsAsync(admin, "/api/v1/crm/conversations?status=open&channel=whatsapp");
        var ours = open.Where(c => c.GetProperty("conversationId").GetString()!.StartsWith(prefix, StringComparison.Ordinal)).ToList();

        Assert.Equal([prefix + "4", prefix + "3"], ours.Select(c => c.GetProperty("conversationId").GetString()).Order().Reverse());
        Assert.All(whatsapp, c => Assert.Equal("whatsapp", c.GetProperty("channel").GetString()));
        var one = await (await admin.GetAsync($"/api/v1/crm/conversations/{ours[0].GetProperty("id").GetGuid()}")).ReadJsonAsync();
        Assert.Equal("open", one.GetProperty("status").GetString());
        var foreignId = await CrmTestData.ScalarAsync<Guid>(api, "SELECT id FROM crm.conversations WHERE external_id = @e", ("e", prefix + "5"));
        await (await admin.GetAsync($"/api/v1/crm/conversations/{foreignId}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.GetAsync("/api/v1/crm/conversations?channel=fax")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task EntitiesAndScreens_WhenCreated_AreListedWithTypedValuesAndScripts()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var name = CrmTestData.Unique("Deudas");
        var entity = await CrmTestData.CreateAsync(admin, "/api/v1/crm/entities", new
        {
            name,
            fields = new object[]
            {
                new { key = "producto", label = "Producto", type = "list", required = true, options = new[] { "Tarjeta", "Crédito" } },
                new { key = "saldo", label = "Saldo", type = "number" },
                new { key = "vence", label = "Vence", type = "date" },
            },
        });
        var record = await (await admin.PostAsJsonAsync($"/api/v1/crm/entities/{entity}/records", new { values = new { producto = "crédito", saldo = "1500.5", vence = "2026-12-31" } }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var bad = await admin.PostAsJsonAsync($"/api/v1/crm/entities/{entity}/records", new { values = new { producto = "Leasing" } });
        var screenName = CrmTestData.Unique("Pantalla");
        await CrmTestData.CreateAsync(admin, "/api/v1/crm/screens", new
        {
            name = screenName,
            subScreens = new[] { new { name = "Saludo", scripts = new[] { new { name = "Apertura", text = "Hola {lblEtiqueta1}" } } } },
        });

        Assert.Equal("Crédito", record.GetProperty("values").GetProperty("producto").GetString());
        Assert.Equal(1500.5m, record.GetProperty("values").GetProperty("saldo").GetDecimal());
        Assert.True((await bad.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("values", out _));
        var entities = await (await admin.GetAsync("/api/v1/crm/entities")).ReadJsonAsync();
        var listed = entities.EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        Assert.Equal(3, listed.GetProperty("fields").GetArrayLength());
        Assert.Equal("list", listed.GetProperty("fields")[0].GetProperty("type").GetString());
        Assert.Single(await CrmTestData.ItemsAsync(admin, $"/api/v1/crm/entities/{entity}/records"));
        var screens = await (await admin.GetAsync("/api/v1/crm/screens")).ReadJsonAsync();
        var screen = screens.EnumerateArray().Single(s => s.GetProperty("name").GetString() == screenName);
        Assert.Equal("Hola {lblEtiqueta1}", screen.GetProperty("subScreens")[0].GetProperty("scripts")[0].GetProperty("text").GetString());
    }
}
