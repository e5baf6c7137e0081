using System.Net;
using System.Text;
using Moonflow.Api.Tests.Support;
using OfficeOpenXml.DataValidation;
using static Moonflow.Api.Tests.Crm.CrmImportFiles;

namespace Moonflow.Api.Tests.Crm;

[Collection(ApiCollection.Name)]
public sealed class CrmContactsImportTests(MoonflowApiFactory api)
{
    private const string Url = "/api/v1/crm/imports/contacts";

    private static readonly string[] Headers = ["Tipo de documento", "Número de documento", "Nombre", "Teléfonos", "Correo", "Etiquetas", "No llamar"];

    [Fact]
    public async Task ContactsImport_WhenRowsAreNewKnownRepeatedOrInvalid_LoadsTheLotAndReportsEachRow()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var baseId = await CrmTestData.BaseAsync(admin);
        var known = (await CrmTestData.ContactsAsync(api, "demo", 1, null, await CrmTestData.LotAsync(admin)))[0];
        var knownDocument = await DocumentAsync(known);
        var prefix = Prefix();
        var lotName = CrmTestData.Unique("Lote importado");
        string?[][] rows =
        [
            ["CC", $"{prefix}1", "Ana Gómez", "+57 3001110001; +57 6014440001", "ANA@example.com", "vip; mora30", "No"],
            ["cc", $"{prefix}2", "Luis Pérez", null, null, null, null],
            ["CC", knownDocument, "Nombre corregido", null, "conocido@example.com", null, "Sí"],
            ["CC", $"{prefix}1", "Ana otra vez", null, null, null, null],
            ["CC", $"{prefix}3", null, null, null, null, null],
            ["C1", $"{prefix}4", "Tipo raro", null, null, null, null],
            ["CC", $"{prefix}5", "Quizás llame", null, null, null, "Quizás"],
        ];
        var file = Xlsx(Headers, rows);
        var fields = new Dictionary<string, string> { ["lotName"] = lotName, ["baseId"] = baseId.ToString() };

        var first = await RunAsync(admin, Url, file, fields);

        Assert.Equal("completed_with_errors", first.GetProperty("status").GetString());
        Assert.Equal("crm_contacts_import", first.GetProperty("type").GetString());
        Assert.Equal((7L, 4L, 3L), (first.GetProperty("total").GetInt64(), first.GetProperty("succeeded").GetInt64(), first.GetProperty("failed").GetInt64()));
        var items = await ItemsAsync(admin, first);
        Assert.Equal(["created", "created", "updated", "duplicate", "failed", "failed", "failed"], Outcomes(items));
        Assert.Equal($"CC {prefix}1", items[0].GetProperty("recordKey").GetString());
        Assert.Contains("Repeats row 2", items[3].GetProperty("message").GetString());
        Assert.Contains("Nombre", items[4].GetProperty("message").GetString());
        Assert.Contains("'C1' is not a document type", items[5].GetProperty("message").GetString());
        Assert.Contains("'Quizás'", items[6].GetProperty("message").GetString());

        var lotId = await CrmTestData.ScalarAsync<Guid>(api, "SELECT id FROM crm.lots WHERE name = @name", ("name", lotName));
        var inLot = await CrmTestData.AllItemsAsync(admin, $"/api/v1/crm/contacts?lotId={lotId}");
        Assert.Equal(3, inLot.Count);
        var ana = inLot.Single(c => c.GetProperty("documentNumber").GetString() == $"{prefix}1");
        Assert.Equal("Ana Gómez", ana.GetProperty("name").GetString());
        Assert.Equal(["+57 3001110001", "+57 6014440001"], ana.GetProperty("phones").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("ana@example.com", ana.GetProperty("email").GetString());
        Assert.Equal(["vip", "mora30"], ana.GetProperty("tags").EnumerateArray().Select(p => p.GetString()));
        Assert.All(inLot, c => Assert.Contains(baseId, c.GetProperty("baseIds").EnumerateArray().Select(b => b.GetGuid())));
        var updated = inLot.Single(c => c.GetProperty("id").GetGuid() == known);
        Assert.Equal("Nombre corregido", updated.GetProperty("name").GetString());
        Assert.True(updated.GetProperty("doNotCall").GetBoolean());
        Assert.Equal(["+57 300" + knownDocument], updated.GetProperty("phones").EnumerateArray().Select(p => p.GetString()));

        using (var workbook = await ErrorWorkbookAsync(admin, first))
        {
            var errors = workbook.Workbook.Worksheets["Errores"];
            Assert.Equal(Headers.Append("Error"), Enumerable.Range(1, Headers.Length + 1).Select(c => errors.Cells[1, c].Text));
            Assert.Equal(4, errors.Dimension.End.Row);
            Assert.Equal($"{prefix}3", errors.Cells[2, 2].Text);
            Assert.Equal("C1", errors.Cells[3, 1].Text);
            Assert.Equal("Quizás", errors.Cells[4, 7].Text);
            Assert.Contains("Quizás", errors.Cells[4, Headers.Length + 1].Text);
        }

        var contactsBefore = await CountContactsAsync();
        var second = await RunAsync(admin, Url, file, fields);

        Assert.Equal(["duplicate", "duplicate", "duplicate", "duplicate", "failed", "failed", "failed"], Outcomes(await ItemsAsync(admin, second)));
        Assert.Equal(contactsBefore, await CountContactsAsync());
        Assert.Equal(1L, await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM crm.lots WHERE name = @name", ("name", lotName)));
        Assert.Equal(3, (await CrmTestData.AllItemsAsync(admin, $"/api/v1/crm/contacts?lotId={lotId}")).Count);
    }

    [Fact]
    public async Task ContactsImport_WhenADryRun_ReportsWhatWouldHappenAndWritesNothing()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var baseId = await CrmTestData.BaseAsync(admin);
        var lotId = await CrmTestData.LotAsync(admin);
        var known = await CrmTestData.ContactsAsync(api, "demo", 2, baseId, lotId);
        var (changed, same) = (await DocumentAsync(known[0]), await DocumentAsync(known[1]));
        var lotName = await CrmTestData.ScalarAsync<string>(api, "SELECT name FROM crm.lots WHERE id = @id", ("id", lotId));
        var prefix = Prefix();
        var csv = "Tipo de documento,Número de documento,Nombre\r\n" +
                  $"CC,{prefix}1,Nueva\r\nCC,{changed},Otro nombre\r\nCC,{same},Contacto 1\r\nCC,,Sin número\r\n";
        var before = await CountsAsync();

        var accepted = await (await PostAsync(admin, Url + "?dryRun=true", Encoding.UTF8.GetBytes(csv), new Dictionary<string, string> { ["lotName"] = lotName, ["baseId"] = baseId.ToString() }, name: "prueba.csv"))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        var process = await admin.WaitForProcessAsync(accepted.GetProperty("processId").GetGuid());

        Assert.Equal("completed_with_errors", process.GetProperty("status").GetString());
        Assert.EndsWith("(dry run)", process.GetProperty("label").GetString());
        var items = await ItemsAsync(admin, process);
        Assert.Equal(["would_create", "would_update", "duplicate", "failed"], Outcomes(items));
        Assert.Equal(before, await CountsAsync());
        Assert.Equal("Contacto 0", (await (await admin.GetAsync($"/api/v1/crm/contacts/{known[0]}")).ReadJsonAsync()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task ContactsImport_WhenTheIdempotencyKeyIsReused_ReplaysTheSameFileAndRefusesAnother()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var fields = new Dictionary<string, string> { ["lotName"] = CrmTestData.Unique("Lote") };
        var file = Xlsx(Headers, [["CC", $"{Prefix()}1", "Una", null, null, null, null]]);
        var key = Guid.NewGuid().ToString();

        var first = await (await PostAsync(admin, Url, file, fields, key)).ReadJsonAsync(HttpStatusCode.Accepted);
        var replay = await (await PostAsync(admin, Url, file, fields, key)).ReadJsonAsync(HttpStatusCode.Accepted);
        var other = await PostAsync(admin, Url, Xlsx(Headers, [["CC", $"{Prefix()}2", "Otra", null, null, null, null]]), fields, key);

        Assert.Equal(first.GetProperty("processId").GetGuid(), replay.GetProperty("processId").GetGuid());
        await other.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        await admin.WaitForProcessAsync(first.GetProperty("processId").GetGuid());
    }

    [Fact]
    public async Task ContactsImport_WhenTheBaseIsAnotherTenantsOrFieldsAreBadOrTheCallerIsAViewer_IsRefusedAndStartsNothing()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var acme = await api.SignInAsync("admin@acme.test", "acme");
        var foreignBase = await CrmTestData.BaseAsync(acme);
        var file = Xlsx(Headers, [["CC", $"{Prefix()}1", "Una", null, null, null, null]]);
        var before = await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM processes.bulk_processes");

        await (await PostAsync(admin, Url, file, new Dictionary<string, string> { ["lotName"] = "Lote", ["baseId"] = foreignBase.ToString() }))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var noLot = await (await PostAsync(admin, Url, file, new Dictionary<string, string>())).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(noLot.GetProperty("errors").TryGetProperty("lotName", out _));
        var badBase = await (await PostAsync(admin, Url, file, new Dictionary<string, string> { ["lotName"] = "Lote", ["baseId"] = "no-es-un-id" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(badBase.GetProperty("errors").TryGetProperty("baseId", out _));
        var missing = await (await PostAsync(admin, Url, Xlsx(["Número de documento"], []), new Dictionary<string, string> { ["lotName"] = "Lote" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("Nombre (Name)", missing.GetProperty("errors").GetProperty("file")[0].GetString());
        var viewer = await api.SignInAsync("viewer@demo.test");
        await (await PostAsync(viewer, Url, file, new Dictionary<string, string> { ["lotName"] = "Lote" })).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.GetAsync(Url + "/format")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(before, await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM processes.bulk_processes"));
    }

    [Theory]
    [InlineData("", "Contactos", "Tipo de documento", "Instrucciones", "Sí")]
    [InlineData("?lang=es", "Contactos", "Tipo de documento", "Instrucciones", "Sí")]
    [InlineData("?lang=en", "Contacts", "DocumentType", "Instructions", "Yes")]
    public async Task ContactsFormat_WhenDownloadedAndFilledIn_IsTheFormatTheUploadReads(string query, string sheetName, string firstHeader, string helpSheet, string required)
    {
        var admin = await api.SignInAsync("admin@demo.test");

        using var format = await DownloadAsync(admin, Url + "/format" + query);

        var sheet = format.Workbook.Worksheets[sheetName];
        Assert.Equal(firstHeader, sheet.Cells[1, 1].Text);
        Assert.Equal(7, sheet.Dimension.End.Column);
        var documentTypes = sheet.DataValidations.OfType<ExcelDataValidationList>().Single(v => v.Address.Start.Column == 1);
        Assert.Equal(["CC", "CE", "NIT", "PAS", "TI", "PEP"], documentTypes.Formula.Values);
        Assert.Contains(sheet.DataValidations.OfType<ExcelDataValidationList>(), v => v.Address.Start.Column == 7 && v.Formula.Values.Contains("No"));
        var help = format.Workbook.Worksheets[helpSheet];
        Assert.Equal(required, help.Cells[4, 2].Text);
        Assert.Equal("No", help.Cells[2, 2].Text);
        Assert.Equal(7, help.Dimension.End.Row - 3);

        // The downloaded workbook itself, filled in, is what the upload reads.
        var prefix = Prefix();
        sheet.Cells[2, 1].Value = "CC";
        sheet.Cells[2, 2].Value = $"{prefix}1";
        sheet.Cells[2, 3].Value = "Desde el formato";
        var lotName = CrmTestData.Unique("Formato");
        var process = await RunAsync(admin, Url, format.GetAsByteArray(), new Dictionary<string, string> { ["lotName"] = lotName });

        Assert.Equal("completed", process.GetProperty("status").GetString());
        Assert.Equal(["created"], Outcomes(await ItemsAsync(admin, process)));
    }

    private static string Prefix() => $"9{Random.Shared.Next(10_000_000, 99_999_999)}";

    private Task<string> DocumentAsync(Guid contact) =>
        CrmTestData.ScalarAsync<string>(api, "SELECT document_number FROM crm.contacts WHERE id = @id", ("id", contact));

    private Task<long> CountContactsAsync() => CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM crm.contacts");

    /// <summary>Every table an import could write, and a fingerprint of the contacts' data.</summary>
    private Task<string> CountsAsync() =>
        CrmTestData.ScalarAsync<string>(
            api,
            """
            SELECT concat_ws(' ', (SELECT count(*) FROM crm.contacts), (SELECT count(*) FROM crm.lots),
                (SELECT md5(coalesce(string_agg(id::text || name || coalesce(lot_id::text, '') || array_to_string(base_ids, ','), ';' ORDER BY id), '')) FROM crm.contacts))
            """);
}
