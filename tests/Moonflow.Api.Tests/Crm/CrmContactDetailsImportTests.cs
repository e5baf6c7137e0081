using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Common.Spreadsheets;
using OfficeOpenXml;
using OfficeOpenXml.DataValidation;
using static Moonflow.Api.Tests.Crm.CrmImportFiles;

namespace Moonflow.Api.Tests.Crm;

[Collection(ApiCollection.Name)]
public sealed class CrmContactDetailsImportTests(MoonflowApiFactory api)
{
    private const string Url = "/api/v1/crm/imports/details";

    private static readonly string[] PhoneHeaders = ["Teléfonos", "Plan", "Cupo", "Alta"];

    [Fact]
    public async Task DetailsImport_WhenKeysMatchOneNoneOrSeveralContactsOfTheLot_CreatesReplacesSkipsAndFailsEachWithItsReason()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var lot = await CrmTestData.LotAsync(admin);
        var contacts = await CrmTestData.ContactsAsync(api, "demo", 6, null, lot);
        var elsewhere = (await CrmTestData.ContactsAsync(api, "demo", 1, null, await CrmTestData.LotAsync(admin)))[0];
        var entity = await EntityAsync(admin);
        var phones = new List<string>();
        foreach (var contact in contacts.Append(elsewhere))
        {
            phones.Add(await PhoneAsync(contact));
        }

        // Contacts 1 and 2 share a phone; 0 and 4 already have details, 5 has two records of the entity.
        await CrmTestData.ScalarAsync<int>(api, "UPDATE crm.contacts SET phones = ARRAY['+57 3009999999'] WHERE id = ANY(@ids) RETURNING 1", ("ids", new[] { contacts[1], contacts[2] }));
        await RecordAsync(admin, entity, contacts[0], new { plan = "Plata", cupo = "50" });
        await RecordAsync(admin, entity, contacts[4], new { plan = "Oro", cupo = "10", alta = "2026-01-31" });
        await RecordAsync(admin, entity, contacts[5], new { plan = "Oro" });
        await RecordAsync(admin, entity, contacts[5], new { plan = "Plata" });
        string?[][] rows =
        [
            [phones[0], "Oro", "100", null],
            [phones[3], "plata", null, "2026-03-01"],
            ["+57 3009999999", "Oro", null, null],
            [phones[6], "Oro", null, null],
            [phones[0], "Plata", null, null],
            [phones[3], "Bronce", null, null],
            [phones[4], "Oro", "10", "2026-01-31"],
            [phones[5], "Oro", null, null],
            [null, "Oro", null, null],
        ];

        var process = await RunAsync(admin, Url, Xlsx(PhoneHeaders, rows), Fields(lot, "phone", entity));

        Assert.Equal("crm_contact_details_import", process.GetProperty("type").GetString());
        Assert.Equal("completed_with_errors", process.GetProperty("status").GetString());
        Assert.Equal((9L, 3L, 6L), (process.GetProperty("total").GetInt64(), process.GetProperty("succeeded").GetInt64(), process.GetProperty("failed").GetInt64()));
        var items = await ItemsAsync(admin, process);
        Assert.Equal(["updated", "created", "failed", "failed", "failed", "failed", "skipped", "failed", "failed"], Outcomes(items));
        var messages = items.Select(i => i.GetProperty("message").GetString() ?? string.Empty).ToList();
        Assert.Equal($"phones={phones[0]}", items[0].GetProperty("recordKey").GetString());
        Assert.Contains("Replaced the contact's details", messages[0]);
        Assert.Contains("\"plan\": \"Plata\"", messages[0]);
        Assert.Contains("2 contacts of this lot match this key", messages[2]);
        Assert.Equal("No contact of this lot matches this key.", messages[3]);
        Assert.Contains("Row 2 of this file already gives this contact's details", messages[4]);
        Assert.Contains("'Plan' (plan) must be one of: Oro, Plata, not 'Bronce'", messages[5]);
        Assert.Contains("Nothing to change", messages[6]);
        Assert.Contains("The contact has 2 records of this entity", messages[7]);
        Assert.Contains("Missing the key value ('Teléfonos')", messages[8]);

        var records = await RecordsByContactAsync(admin, entity);
        Assert.Equal("Oro", Assert.Single(records[contacts[0]]).GetProperty("plan").GetString());
        Assert.Equal(100m, records[contacts[0]][0].GetProperty("cupo").GetDecimal());
        var created = Assert.Single(records[contacts[3]]);
        Assert.Equal("Plata", created.GetProperty("plan").GetString());
        Assert.Equal("2026-03-01", created.GetProperty("alta").GetString());
        Assert.False(records.ContainsKey(contacts[1]) || records.ContainsKey(contacts[2]) || records.ContainsKey(elsewhere));
        Assert.Equal(2, records[contacts[5]].Count);

        using var workbook = await ErrorWorkbookAsync(admin, process);
        var errors = workbook.Workbook.Worksheets["Errores"];
        Assert.Equal(PhoneHeaders.Append("Error"), Enumerable.Range(1, PhoneHeaders.Length + 1).Select(c => errors.Cells[1, c].Text));
        Assert.Equal(7, errors.Dimension.End.Row);
        // A cell starting with + is written so that no spreadsheet takes it for a formula.
        Assert.Equal("'+57 3009999999", errors.Cells[2, 1].Text);
        Assert.Equal("Bronce", errors.Cells[5, 2].Text);
        Assert.Contains("2 records", errors.Cells[6, PhoneHeaders.Length + 1].Text);

        // The same file again: what it gave is there now, so those rows change nothing.
        var again = await RunAsync(admin, Url, Xlsx(PhoneHeaders, rows), Fields(lot, "phone", entity));
        Assert.Equal(["skipped", "skipped", "failed", "failed", "failed", "failed", "skipped", "failed", "failed"], Outcomes(await ItemsAsync(admin, again)));
    }

    [Fact]
    public async Task DetailsImport_WhenADryRun_SaysWhatWouldBeCreatedOrReplacedAndWritesNothing()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var lot = await CrmTestData.LotAsync(admin);
        var contacts = await CrmTestData.ContactsAsync(api, "demo", 3, null, lot);
        var entity = await EntityAsync(admin);
        await RecordAsync(admin, entity, contacts[1], new { plan = "Plata" });
        await RecordAsync(admin, entity, contacts[2], new { plan = "Oro" });
        var docs = new List<string>();
        foreach (var contact in contacts)
        {
            docs.Add(await CrmTestData.ScalarAsync<string>(api, "SELECT document_number FROM crm.contacts WHERE id = @id", ("id", contact)));
        }

        var csv = $"Número de documento,Plan,Cupo,Alta\r\n{docs[0]},Oro,,\r\n{docs[1]},Oro,,\r\n{docs[2]},Oro,,\r\n00000000,Oro,,\r\n";
        var before = await RecordsAsync();

        var process = await RunAsync(admin, Url + "?dryRun=true", Encoding.UTF8.GetBytes(csv), Fields(lot, "documentNumber", entity));

        Assert.EndsWith("(dry run)", process.GetProperty("label").GetString());
        var items = await ItemsAsync(admin, process);
        Assert.Equal(["would_create", "would_update", "skipped", "failed"], Outcomes(items));
        Assert.Contains("Would replace the contact's details", items[1].GetProperty("message").GetString());
        Assert.Equal(before, await RecordsAsync());
    }

    [Fact]
    public async Task DetailsImport_WhenALotOrEntityIsAnotherTenantsOrTheKeyIsUnknownOrTheCallerIsAViewer_IsRefusedAndStartsNothing()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var acme = await api.SignInAsync("admin@acme.test", "acme");
        var (lot, entity) = (await CrmTestData.LotAsync(admin), await EntityAsync(admin));
        var (foreignLot, foreignEntity) = (await CrmTestData.LotAsync(acme), await EntityAsync(acme));
        var file = Xlsx(PhoneHeaders, [["+57 3001", "Oro", null, null]]);
        var before = await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM processes.bulk_processes");

        await (await PostAsync(admin, Url, file, Fields(foreignLot, "phone", entity))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await PostAsync(admin, Url, file, Fields(lot, "phone", foreignEntity))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.GetAsync($"{Url}/format?entityId={foreignEntity}&key=phone")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var unknown = await (await PostAsync(admin, Url, file, Fields(lot, "color", entity))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("use documentNumber, phone, email or details.<name>", unknown.GetProperty("errors").GetProperty("key")[0].GetString());
        var notAKey = await (await admin.GetAsync($"{Url}/format?entityId={entity}&key=doNotCall")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(notAKey.GetProperty("errors").TryGetProperty("key", out _));
        var noLot = await (await PostAsync(admin, Url, file, new Dictionary<string, string> { ["key"] = "phone", ["entityId"] = entity.ToString() }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(noLot.GetProperty("errors").TryGetProperty("lotId", out _));
        await (await admin.GetAsync($"{Url}/format?key=phone")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var wrongHeaders = await (await PostAsync(admin, Url, Xlsx(["Correo", "Plan", "Cupo", "Alta"], []), Fields(lot, "phone", entity)))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("Teléfonos (Phones), Plan, Cupo, Alta.", wrongHeaders.GetProperty("errors").GetProperty("file")[0].GetString());
        var viewer = await api.SignInAsync("viewer@demo.test");
        await (await PostAsync(viewer, Url, file, Fields(lot, "phone", entity))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.GetAsync($"{Url}/format?entityId={entity}&key=phone")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(before, await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM processes.bulk_processes"));
    }

    [Fact]
    public async Task DetailsImport_WhenTheIdempotencyKeyIsReused_ReplaysTheSameFileAndRefusesAnother()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var (lot, entity) = (await CrmTestData.LotAsync(admin), await EntityAsync(admin));
        var key = Guid.NewGuid().ToString();

        var first = await (await PostAsync(admin, Url, Xlsx(PhoneHeaders, [["+57 1", "Oro", null, null]]), Fields(lot, "phone", entity), key)).ReadJsonAsync(HttpStatusCode.Accepted);
        var replay = await (await PostAsync(admin, Url, Xlsx(PhoneHeaders, [["+57 1", "Oro", null, null]]), Fields(lot, "phone", entity), key)).ReadJsonAsync(HttpStatusCode.Accepted);
        var other = await PostAsync(admin, Url, Xlsx(PhoneHeaders, [["+57 2", "Oro", null, null]]), Fields(lot, "phone", entity), key);

        Assert.Equal(first.GetProperty("processId").GetGuid(), replay.GetProperty("processId").GetGuid());
        await other.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        await admin.WaitForProcessAsync(first.GetProperty("processId").GetGuid());
    }

    [Theory]
    [InlineData("", "documentNumber", "Detalles", "Número de documento")]
    [InlineData("&lang=en", "email", "Details", "Email")]
    [InlineData("&lang=es", "details.segmento", "Detalles", "segmento")]
    public async Task DetailsFormat_WhenDownloadedForAnEntityAndKey_IsTheKeyColumnAndTheFieldsAndFilledInIsWhatTheUploadReads(string lang, string key, string sheetName, string keyHeader)
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var lot = await CrmTestData.LotAsync(admin);
        var contact = (await CrmTestData.ContactsAsync(api, "demo", 1, null, lot))[0];
        var value = await CrmTestData.ScalarAsync<string>(
            api,
            "UPDATE crm.contacts SET email = 'Formato.' || document_number || '@Example.com', details = jsonb_build_object('segmento', 'S-' || document_number) WHERE id = @id RETURNING " +
            (key == "documentNumber" ? "document_number" : key == "email" ? "upper(email)" : "details ->> 'segmento'"),
            ("id", contact));
        var entity = await EntityAsync(admin);

        var response = await admin.GetAsync($"{Url}/format?entityId={entity}&key={key}{lang}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var read = new List<string?>();
        await foreach (var row in api.Services.GetRequiredService<ISpreadsheetReader>().ReadRowsAsync(new MemoryStream(bytes), SpreadsheetFormat.Xlsx, CancellationToken.None))
        {
            read.AddRange(row.Cells);
            break;
        }

        Assert.Equal([keyHeader, "Plan", "Cupo", "Alta"], read);
        using var format = new ExcelPackage(new MemoryStream(bytes));
        var sheet = format.Workbook.Worksheets[sheetName];
        Assert.Equal(["Oro", "Plata"], sheet.DataValidations.OfType<ExcelDataValidationList>().Single(v => v.Address.Start.Column == 2).Formula.Values);
        Assert.Equal(4, format.Workbook.Worksheets[lang == "&lang=en" ? "Instructions" : "Instrucciones"].Dimension.End.Row - 3);

        (sheet.Cells[2, 1].Value, sheet.Cells[2, 2].Value, sheet.Cells[2, 3].Value) = (value, "Oro", 75);
        var process = await RunAsync(admin, Url, format.GetAsByteArray(), Fields(lot, key, entity));

        Assert.Equal(["created"], Outcomes(await ItemsAsync(admin, process)));
        Assert.Equal(75m, Assert.Single((await RecordsByContactAsync(admin, entity))[contact]).GetProperty("cupo").GetDecimal());
    }

    private static Dictionary<string, string> Fields(Guid lot, string key, Guid entity) =>
        new() { ["lotId"] = lot.ToString(), ["key"] = key, ["entityId"] = entity.ToString() };

    private static Task<Guid> EntityAsync(HttpClient client) =>
        CrmTestData.CreateAsync(client, "/api/v1/crm/entities", new
        {
            name = CrmTestData.Unique("Detalle"),
            fields = new object[]
            {
                new { key = "plan", label = "Plan", type = "list", required = true, options = new[] { "Oro", "Plata" } },
                new { key = "cupo", label = "Cupo", type = "number" },
                new { key = "alta", label = "Alta", type = "date" },
            },
        });

    private static async Task RecordAsync(HttpClient client, Guid entity, Guid contact, object values) =>
        await (await client.PostAsJsonAsync($"/api/v1/crm/entities/{entity}/records", new { contactId = contact, values })).ReadJsonAsync(HttpStatusCode.Created);

    private static async Task<Dictionary<Guid, List<JsonElement>>> RecordsByContactAsync(HttpClient client, Guid entity) =>
        (await CrmTestData.AllItemsAsync(client, $"/api/v1/crm/entities/{entity}/records"))
        .GroupBy(r => r.GetProperty("contactId").GetGuid())
        .ToDictionary(g => g.Key, g => g.Select(r => r.GetProperty("values")).ToList());

    private Task<string> PhoneAsync(Guid contact) =>
        CrmTestData.ScalarAsync<string>(api, "SELECT phones[1] FROM crm.contacts WHERE id = @id", ("id", contact));

    private Task<string> RecordsAsync() =>
        CrmTestData.ScalarAsync<string>(api, "SELECT count(*) || ' ' || md5(coalesce(string_agg(id::text || values::text || coalesce(contact_id::text, ''), ';' ORDER BY id), '')) FROM crm.entity_records");
}
