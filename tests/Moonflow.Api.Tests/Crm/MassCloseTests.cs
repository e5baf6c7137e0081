using System.Net;
using System.Text;
using Moonflow.Api.Tests.Support;
using Npgsql;

namespace Moonflow.Api.Tests.Crm;

[Collection(ApiCollection.Name)]
public sealed class MassCloseTests(MoonflowApiFactory api)
{
    private const string Url = "/api/v1/crm/conversations/mass-close";

    [Fact]
    public async Task MassClose_WhenIdsAreOpenUnknownClosedOrAnotherTenants_ClosesTheOpenOnesAndFailsTheRest()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var sellerId = await CrmTestData.UserIdAsync(seller);
        var admin = await api.SignInAsync("admin@demo.test");
        var (resolved, earlier) = (await CrmTestData.SubcategoriesAsync(admin, "Resuelto", "Antes")) is [var r, var e] ? (r, e) : default;
        var prefix = CrmTestData.Unique("wa");
        await ConversationsAsync(prefix, openDemo: 4, closedDemo: 2, openAcme: 1, closedWith: earlier);
        var file = Csv("ConversationId", [$"{prefix}-o1", $"{prefix}-o2", $"{prefix}-c1", "no-such-conversation", $"{prefix}-acme1", $"{prefix}-o3", $"{prefix}-o1", $"{prefix}-c2", $"  {prefix}-o4  "]);
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);

        var process = await CrmProcessFiles.RunAsync(seller, Url, file, "cierre.csv", Subcategory(resolved));

        Assert.Equal("completed_with_errors", process.GetProperty("status").GetString());
        Assert.Equal("crm_conversations_mass_close", process.GetProperty("type").GetString());
        Assert.Equal((9, 4, 5), (process.GetProperty("total").GetInt64(), process.GetProperty("succeeded").GetInt64(), process.GetProperty("failed").GetInt64()));
        var items = await CrmProcessFiles.ItemsAsync(seller, process);
        Assert.Equal(
            ["succeeded", "succeeded", "failed", "failed", "failed", "succeeded", "failed", "failed", "succeeded"],
            items.Select(i => i.GetProperty("outcome").GetString()));
        Assert.Contains("already closed", items[2].GetProperty("message").GetString());
        Assert.Contains("No conversation", items[3].GetProperty("message").GetString());
        Assert.Contains("No conversation", items[4].GetProperty("message").GetString());
        Assert.Contains("Repeats an earlier row", items[6].GetProperty("message").GetString());
        Assert.Equal($"{prefix}-o4", items[8].GetProperty("recordKey").GetString());

        var rows = await StatesAsync(prefix);
        Assert.All(["o1", "o2", "o3", "o4"], id =>
        {
            var row = rows[$"{prefix}-{id}"];
            Assert.Equal(("Closed", resolved, sellerId), (row.Status, row.Subcategory, row.ClosedBy));
            Assert.InRange(row.ClosedAt!.Value, started, DateTimeOffset.UtcNow.AddSeconds(1));
        });
        Assert.Equal(("Closed", earlier), (rows[$"{prefix}-c1"].Status, rows[$"{prefix}-c1"].Subcategory));
        Assert.Equal("Open", rows[$"{prefix}-acme1"].Status);

        var errors = await CrmProcessFiles.ErrorRowsAsync(seller, process);
        Assert.Equal(["ConversationId", "Error", "Original row"], errors[0]);
        Assert.Equal([$"{prefix}-c1", "no-such-conversation", $"{prefix}-acme1", $"{prefix}-o1", $"{prefix}-c2"], errors.Skip(1).Select(e => e[0]));
        Assert.Equal(["4", "5", "6", "8", "9"], errors.Skip(1).Select(e => e[2]));
    }

    [Fact]
    public async Task MassClose_WhenDryRun_SaysWhatWouldCloseAndClosesNothing()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var resolved = (await CrmTestData.SubcategoriesAsync(admin, "Resuelto"))[0];
        var prefix = CrmTestData.Unique("wa");
        await ConversationsAsync(prefix, openDemo: 3, closedDemo: 1, openAcme: 0, closedWith: null);
        var file = CrmProcessFiles.Xlsx("Cierre", ["ConversationId"], [[$"{prefix}-o1"], [$"{prefix}-o2"], [$"{prefix}-c1"], ["otra"]]);
        var before = await StatesAsync(prefix);

        var dryRun = await CrmProcessFiles.RunAsync(admin, Url + "?dryRun=true", file, "cierre.xlsx", Subcategory(resolved));

        Assert.True(dryRun.GetProperty("parameters").GetProperty("dryRun").GetBoolean());
        Assert.Equal(["would_update", "would_update", "failed", "failed"], (await CrmProcessFiles.ItemsAsync(admin, dryRun)).Select(i => i.GetProperty("outcome").GetString()));
        Assert.Equal(before, await StatesAsync(prefix));
        Assert.Equal(3, before.Values.Count(v => v.Status == "Open"));
    }

    [Theory]
    [InlineData("Id\r\nwa-1\r\n", "ConversationId")]
    [InlineData("ConversationId,Nota\r\nwa-1,x\r\n", "Not chosen: Nota")]
    public async Task MassClose_WhenTheHeaderRowIsNotJustConversationId_Is400NamingIt(string csv, string named)
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var resolved = (await CrmTestData.SubcategoriesAsync(admin, "Resuelto"))[0];

        var problem = await (await CrmProcessFiles.PostAsync(admin, Url, Encoding.UTF8.GetBytes(csv), "cierre.csv", Subcategory(resolved)))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        var message = problem.GetProperty("errors").GetProperty("file")[0].GetString();
        Assert.Contains("ConversationId", message);
        Assert.Contains(named, message);
    }

    [Fact]
    public async Task MassClose_WhenTheSubcategoryIsMissingMalformedOrAnotherTenants_IsRefusedAndKeepsNoFile()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var acme = await api.SignInAsync("admin@acme.test", "acme");
        var foreign = (await CrmTestData.SubcategoriesAsync(acme, "Ajena"))[0];
        var file = Csv("ConversationId", ["wa-1"]);
        var stored = Uploads.Uploads.StoredUploads(api);

        var none = await (await CrmProcessFiles.PostAsync(admin, Url, file, "c.csv")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var malformed = await (await CrmProcessFiles.PostAsync(admin, Url, file, "c.csv", new Dictionary<string, string> { ["subcategoryId"] = "resuelto" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await CrmProcessFiles.PostAsync(admin, Url, file, "c.csv", Subcategory(foreign))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");

        Assert.True(none.GetProperty("errors").TryGetProperty("subcategoryId", out _));
        Assert.True(malformed.GetProperty("errors").TryGetProperty("subcategoryId", out _));
        Assert.Equal(stored, Uploads.Uploads.StoredUploads(api));
    }

    [Fact]
    public async Task MassClose_WhenTheCallerIsAViewerOrAnAgent_IsForbidden()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var resolved = (await CrmTestData.SubcategoriesAsync(admin, "Resuelto"))[0];
        var file = Csv("ConversationId", ["wa-1"]);

        foreach (var user in new[] { "viewer@demo.test", "agent@demo.test" })
        {
            var client = await api.SignInAsync(user);
            await (await CrmProcessFiles.PostAsync(client, Url, file, "c.csv", Subcategory(resolved))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
    }

    [Fact]
    public async Task MassClose_AskedInSpanish_ExplainsItsFailedRowsInSpanishToWhoeverReadsThem()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        seller.DefaultRequestHeaders.AcceptLanguage.Clear();
        seller.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es");
        var admin = await api.SignInAsync("admin@demo.test");
        var (resolved, earlier) = (await CrmTestData.SubcategoriesAsync(admin, "Resuelto", "Antes")) is [var r, var e] ? (r, e) : default;
        var prefix = CrmTestData.Unique("wa");
        await ConversationsAsync(prefix, openDemo: 1, closedDemo: 1, openAcme: 0, closedWith: earlier);
        var file = Csv("ConversationId", [$"{prefix}-o1", $"{prefix}-c1", "no-such-conversation", $"{prefix}-o1"]);

        var process = await CrmProcessFiles.RunAsync(seller, Url, file, "cierre.csv", Subcategory(resolved));

        // The registrar writes its reasons in SQL; they are said in the language of the request that started the process.
        var english = await api.SignInAsync("seller@demo.test");
        var items = await CrmProcessFiles.ItemsAsync(english, process);
        Assert.Equal(
            [null, "La conversación ya está cerrada.", "No hay ninguna conversación con este ConversationId en esta cuenta.",
             "Repite una fila anterior de este archivo: el mismo ConversationId."],
            items.Select(i => i.GetProperty("message").GetString()));
        var errors = await CrmProcessFiles.ErrorRowsAsync(english, process);
        Assert.Equal(["ConversationId", "Error", "Fila original"], errors[0]);
        Assert.Equal("La conversación ya está cerrada.", errors[1][1]);
    }

    private static Dictionary<string, string> Subcategory(Guid id) => new() { ["subcategoryId"] = id.ToString() };

    private static byte[] Csv(string header, IEnumerable<string> ids) => Encoding.UTF8.GetBytes($"{header}\r\n{string.Join("\r\n", ids)}\r\n");

    /// <summary>Conversations named {prefix}-o1…, {prefix}-c1… (closed) in demo and {prefix}-acme1… (open) in acme.</summary>
    private Task<int> ConversationsAsync(string prefix, int openDemo, int closedDemo, int openAcme, Guid? closedWith) =>
        api.WithDbAsync(async db =>
        {
            var demo = await CrmTestData.TenantIdAsync(db, "demo");
            var acme = await CrmTestData.TenantIdAsync(db, "acme");
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO crm.conversations (id, tenant_id, external_id, channel, contact_id, status, subcategory_id, opened_at, closed_at, closed_by)
                SELECT gen_random_uuid(), @demo, @prefix || '-o' || g, 'Whatsapp', NULL::uuid, 'Open', NULL::uuid, now(), NULL::timestamptz, NULL::uuid FROM generate_series(1, @open) g
                UNION ALL
                SELECT gen_random_uuid(), @demo, @prefix || '-c' || g, 'Webchat', NULL, 'Closed', @closedWith, now(), now(), NULL FROM generate_series(1, @closed) g
                UNION ALL
                SELECT gen_random_uuid(), @acme, @prefix || '-acme' || g, 'Whatsapp', NULL, 'Open', NULL, now(), NULL, NULL FROM generate_series(1, @acmeOpen) g
                """,
                db);
            insert.Parameters.AddWithValue("demo", demo);
            insert.Parameters.AddWithValue("acme", acme);
            insert.Parameters.AddWithValue("prefix", prefix);
            insert.Parameters.AddWithValue("open", openDemo);
            insert.Parameters.AddWithValue("closed", closedDemo);
            insert.Parameters.AddWithValue("acmeOpen", openAcme);
            insert.Parameters.AddWithValue("closedWith", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)closedWith ?? DBNull.Value);
            return await insert.ExecuteNonQueryAsync();
        });

    private Task<Dictionary<string, (string Status, Guid? Subcategory, DateTimeOffset? ClosedAt, Guid? ClosedBy)>> StatesAsync(string prefix) =>
        api.WithDbAsync(async db =>
        {
            await using var query = new NpgsqlCommand(
                "SELECT external_id, status, subcategory_id, closed_at, closed_by FROM crm.conversations WHERE external_id LIKE @prefix || '-%'", db);
            query.Parameters.AddWithValue("prefix", prefix);
            var states = new Dictionary<string, (string, Guid?, DateTimeOffset?, Guid?)>();
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                states[reader.GetString(0)] = (
                    reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetGuid(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetGuid(4));
            }

            return states;
        });
}
