using System.Net;
using System.Text;
using System.Text.Json;
using Moonflow.Api.Tests.Support;
using static Moonflow.Api.Tests.Crm.CrmImportFiles;

namespace Moonflow.Api.Tests.Crm;

[Collection(ApiCollection.Name)]
public sealed class CrmContactsUpdateTests(MoonflowApiFactory api)
{
    private const string Url = "/api/v1/crm/imports/update";

    private static readonly string[] Headers = ["Número de documento", "Correo", "Nombre", "plan"];

    private static readonly Dictionary<string, string> Choice = new() { ["keys"] = "documentNumber", ["fields"] = "email,name,details.plan" };

    [Fact]
    public async Task Update_WhenRowsMatchOneNoneOrSeveralContacts_UpdatesSkipsAndFailsEachWithItsReason()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var contacts = await CrmTestData.ContactsAsync(api, "demo", 3, null, await CrmTestData.LotAsync(admin));
        var docs = new List<string>();
        foreach (var contact in contacts)
        {
            docs.Add(await DocumentAsync(contact));
        }

        // The same number under another document type: a number alone then matches two contacts.
        await CrmTestData.ScalarAsync<int>(
            api,
            """
            INSERT INTO crm.contacts (id, tenant_id, name, document_type, document_number, phones, details, tags, do_not_call, base_ids, attempts, dialable, created_at)
            SELECT gen_random_uuid(), tenant_id, 'Otro tipo', 'CE', document_number, '{}', '{}', '{}', false, '{}', 0, true, now() FROM crm.contacts WHERE id = @id
            RETURNING 1
            """,
            ("id", contacts[2]));
        string?[][] rows =
        [
            [docs[0], "Nuevo0@Example.com", null, "oro"],
            [docs[1], null, "Contacto 1", null],
            ["00000000", "x@example.com", null, null],
            [docs[2], "y@example.com", null, null],
            [docs[0], "otra@example.com", null, null],
            [docs[1], "no-es-correo", null, null],
        ];

        var process = await RunAsync(admin, Url, Xlsx(Headers, rows), Choice);

        Assert.Equal("crm_contacts_update", process.GetProperty("type").GetString());
        Assert.Equal("completed_with_errors", process.GetProperty("status").GetString());
        Assert.Equal((6L, 2L, 4L), (process.GetProperty("total").GetInt64(), process.GetProperty("succeeded").GetInt64(), process.GetProperty("failed").GetInt64()));
        var items = await ItemsAsync(admin, process);
        Assert.Equal(["updated", "skipped", "failed", "failed", "failed", "failed"], Outcomes(items));
        var messages = items.Select(i => i.GetProperty("message").GetString() ?? string.Empty).ToList();
        Assert.Contains("email: (empty) → nuevo0@example.com", messages[0]);
        Assert.Contains("details.plan: (empty) → oro", messages[0]);
        Assert.DoesNotContain("name", messages[0]);
        Assert.Contains("Nothing to change", messages[1]);
        Assert.Contains("No contact", messages[2]);
        Assert.Contains("2 contacts match", messages[3]);
        Assert.Contains("Row 2 of this file already updates", messages[4]);
        Assert.Contains("'no-es-correo' is not an e-mail", messages[5]);
        Assert.Equal($"documentNumber={docs[0]}", items[0].GetProperty("recordKey").GetString());

        var first = await ContactAsync(admin, contacts[0]);
        Assert.Equal("nuevo0@example.com", first.GetProperty("email").GetString());
        Assert.Equal("Contacto 0", first.GetProperty("name").GetString());
        Assert.Equal("oro", first.GetProperty("details").GetProperty("plan").GetString());
        Assert.Equal(JsonValueKind.Null, (await ContactAsync(admin, contacts[2])).GetProperty("email").ValueKind);

        using var workbook = await ErrorWorkbookAsync(admin, process);
        var errors = workbook.Workbook.Worksheets["Errores"];
        Assert.Equal(Headers.Append("Error"), Enumerable.Range(1, Headers.Length + 1).Select(c => errors.Cells[1, c].Text));
        Assert.Equal(5, errors.Dimension.End.Row);
        Assert.Equal("00000000", errors.Cells[2, 1].Text);
        Assert.Equal("no-es-correo", errors.Cells[5, 2].Text);
        Assert.Contains("2 contacts match", errors.Cells[3, Headers.Length + 1].Text);

        // Uploading it again changes nothing more: the updated row is now skipped.
        var again = await RunAsync(admin, Url, Xlsx(Headers, rows), Choice);
        Assert.Equal(["skipped", "skipped", "failed", "failed", "failed", "failed"], Outcomes(await ItemsAsync(admin, again)));
    }

    [Fact]
    public async Task Update_WhenADryRun_SaysWhatWouldChangeAndWritesNothing()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var contacts = await CrmTestData.ContactsAsync(api, "demo", 2, null, null);
        var (doc0, doc1) = (await DocumentAsync(contacts[0]), await DocumentAsync(contacts[1]));
        var csv = $"Número de documento,Nombre,No llamar\r\n{doc0},Nombre nuevo,Sí\r\n{doc1},Contacto 1,No\r\n99999999,Nadie,No\r\n";
        var before = await FingerprintAsync();

        var process = await RunAsync(admin, Url + "?dryRun=true", Encoding.UTF8.GetBytes(csv), new Dictionary<string, string> { ["keys"] = "documentNumber", ["fields"] = "name,doNotCall" });

        var items = await ItemsAsync(admin, process);
        Assert.Equal(["would_update", "skipped", "failed"], Outcomes(items));
        Assert.Contains("name: Contacto 0 → Nombre nuevo", items[0].GetProperty("message").GetString());
        Assert.Contains("doNotCall: No → Sí", items[0].GetProperty("message").GetString());
        Assert.Equal(before, await FingerprintAsync());
    }

    [Fact]
    public async Task Update_WhenHeadersAreNotExactlyTheChoiceOrTheChoiceIsUnknown_Returns400NamingThem()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var before = await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM processes.bulk_processes");

        var extra = await (await PostAsync(admin, Url, Xlsx([.. Headers, "Teléfonos"], []), Choice)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var extraMessage = extra.GetProperty("errors").GetProperty("file")[0].GetString()!;
        Assert.Contains("Not chosen: Teléfonos", extraMessage);
        Assert.Contains("Número de documento (DocumentNumber), Correo (Email), Nombre (Name), plan.", extraMessage);
        var lacking = await (await PostAsync(admin, Url, Xlsx(["Número de documento", "Correo"], []), Choice)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("Missing: Nombre, plan", lacking.GetProperty("errors").GetProperty("file")[0].GetString());
        var unknown = await (await PostAsync(admin, Url, Xlsx(Headers, []), new Dictionary<string, string> { ["keys"] = "color", ["fields"] = "email" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("'color' is not a contact field", unknown.GetProperty("errors").GetProperty("keys")[0].GetString());
        var notUpdatable = await (await PostAsync(admin, Url, Xlsx(Headers, []), new Dictionary<string, string> { ["keys"] = "email", ["fields"] = "documentNumber" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(notUpdatable.GetProperty("errors").TryGetProperty("fields", out _));
        await (await PostAsync(admin, Url, Xlsx(Headers, []), new Dictionary<string, string> { ["fields"] = "email" })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var viewer = await api.SignInAsync("viewer@demo.test");
        await (await PostAsync(viewer, Url, Xlsx(Headers, []), Choice)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.GetAsync(Url + "/format?keys=email&fields=name")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await admin.GetAsync(Url + "/format?keys=email")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(before, await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM processes.bulk_processes"));
    }

    [Theory]
    [InlineData("", "Actualización", new[] { "Número de documento", "Teléfonos", "Correo", "Nombre", "plan" })]
    [InlineData("&lang=en", "Update", new[] { "DocumentNumber", "Phones", "Email", "Name", "plan" })]
    public async Task UpdateFormat_WhenDownloadedForKeysAndFields_HasExactlyThoseColumnsAndIsWhatTheUploadReads(string lang, string sheetName, string[] headers)
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var contact = (await CrmTestData.ContactsAsync(api, "demo", 1, null, null))[0];
        var doc = await DocumentAsync(contact);

        using var format = await DownloadAsync(admin, $"{Url}/format?keys=documentNumber,phone&fields=email,name,details.plan{lang}");

        var sheet = format.Workbook.Worksheets[sheetName];
        Assert.Equal(headers, Enumerable.Range(1, sheet.Dimension.End.Column).Select(c => sheet.Cells[1, c].Text));
        Assert.Equal(headers.Length, format.Workbook.Worksheets[lang == "" ? "Instrucciones" : "Instructions"].Dimension.End.Row - 3);

        // Both keys must match: the right phone finds the contact, another phone finds none.
        sheet.Cells[2, 1].Value = doc;
        sheet.Cells[2, 2].Value = "+57 300" + doc;
        sheet.Cells[2, 4].Value = "Desde el formato";
        sheet.Cells[3, 1].Value = doc;
        sheet.Cells[3, 2].Value = "+57 3110000000";
        sheet.Cells[3, 4].Value = "No debe quedar";
        var process = await RunAsync(admin, Url, format.GetAsByteArray(), new Dictionary<string, string> { ["keys"] = "documentNumber,phone", ["fields"] = "email,name,details.plan" });

        Assert.Equal(["updated", "failed"], Outcomes(await ItemsAsync(admin, process)));
        Assert.Equal("Desde el formato", (await ContactAsync(admin, contact)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Update_WhenTheKeyHasNoSelectiveIndex_MatchesByJoiningTheChunkWithTheSameOutcomes()
    {
        // An e-mail key has no index of its own: the chunk is joined to the table instead of looked up row by row.
        var admin = await api.SignInAsync("admin@demo.test");
        var contacts = await CrmTestData.ContactsAsync(api, "demo", 3, null, null);
        var (own, shared) = (CrmTestData.Unique("ana").ToLowerInvariant() + "@example.com", CrmTestData.Unique("comun").ToLowerInvariant() + "@example.com");
        await CrmTestData.ScalarAsync<int>(
            api,
            "UPDATE crm.contacts SET email = CASE WHEN id = @own THEN @ownEmail ELSE @sharedEmail END WHERE id = ANY(@ids) RETURNING 1",
            ("own", contacts[0]), ("ownEmail", own), ("sharedEmail", shared), ("ids", contacts.ToArray()));
        var csv = $"Correo,Nombre,plan\r\n{own.ToUpperInvariant()},Por correo,plata\r\n{shared},Dos,\r\nnadie-{own},Nadie,\r\n{own},Otra vez,\r\n";

        var process = await RunAsync(admin, Url, Encoding.UTF8.GetBytes(csv), new Dictionary<string, string> { ["keys"] = "email", ["fields"] = "name,details.plan" });

        var items = await ItemsAsync(admin, process);
        Assert.Equal(["updated", "failed", "failed", "failed"], Outcomes(items));
        var messages = items.Select(i => i.GetProperty("message").GetString() ?? string.Empty).ToList();
        Assert.Contains("name: Contacto 0 → Por correo", messages[0]);
        Assert.Contains("details.plan: (empty) → plata", messages[0]);
        Assert.Contains("2 contacts match", messages[1]);
        Assert.Contains("No contact", messages[2]);
        Assert.Contains("Row 2 of this file already updates", messages[3]);
        Assert.Equal("Por correo", (await ContactAsync(admin, contacts[0])).GetProperty("name").GetString());
        Assert.Equal("Contacto 1", (await ContactAsync(admin, contacts[1])).GetProperty("name").GetString());
    }

    private Task<string> DocumentAsync(Guid contact) =>
        CrmTestData.ScalarAsync<string>(api, "SELECT document_number FROM crm.contacts WHERE id = @id", ("id", contact));

    private static async Task<JsonElement> ContactAsync(HttpClient client, Guid id) => await (await client.GetAsync($"/api/v1/crm/contacts/{id}")).ReadJsonAsync();

    private Task<string> FingerprintAsync() =>
        CrmTestData.ScalarAsync<string>(
            api,
            "SELECT count(*) || ' ' || md5(coalesce(string_agg(id::text || name || coalesce(email, '') || do_not_call || details::text, ';' ORDER BY id), '')) FROM crm.contacts");
}
