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
public sealed class CrmEntityRecordsImportTests(MoonflowApiFactory api)
{
    private static readonly string[] Headers = ["Producto", "Saldo", "Vence", "Activa", "Nota"];

    [Fact]
    public async Task EntityImport_WhenValuesFitOrBreakTheirFieldsTypes_CreatesTheRecordsAndFailsEachBadRowNamingColumnAndValue()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var entity = await EntityAsync(admin);
        string?[][] rows =
        [
            ["Tarjeta", "1500.50", null, "Sí", "primera"],
            ["crédito", null, "2026-06-30", null, null],
            [null, "10", null, null, null],
            ["Leasing", null, null, null, null],
            ["Tarjeta", "1.234,5", null, null, null],
            ["Tarjeta", null, "31/12/2026", null, null],
            ["Tarjeta", null, null, "Quizás", null],
        ];
        using var package = new ExcelPackage();
        var sheet = package.Workbook.Worksheets.Add("Datos");
        Fill(sheet, Headers, rows);

        // A real date cell, as Excel writes one when a date is typed.
        sheet.Cells[2, 3].Value = new DateTime(2026, 12, 31);
        sheet.Cells[2, 3].Style.Numberformat.Format = "dd/mm/yyyy";

        var process = await RunAsync(admin, Url(entity), package.GetAsByteArray(), new Dictionary<string, string>());

        Assert.Equal("crm_entity_records_import", process.GetProperty("type").GetString());
        Assert.Equal("completed_with_errors", process.GetProperty("status").GetString());
        Assert.Equal((7L, 2L, 5L), (process.GetProperty("total").GetInt64(), process.GetProperty("succeeded").GetInt64(), process.GetProperty("failed").GetInt64()));
        var items = await ItemsAsync(admin, process);
        Assert.Equal(["created", "created", "failed", "failed", "failed", "failed", "failed"], Outcomes(items));
        var messages = items.Select(i => i.GetProperty("message").GetString() ?? string.Empty).ToList();
        Assert.Equal("Producto: Tarjeta", items[0].GetProperty("recordKey").GetString());
        Assert.Equal("'Producto' (producto) is required.", messages[2]);
        Assert.Equal("'Producto' (producto) must be one of: Tarjeta, Crédito, not 'Leasing'.", messages[3]);
        Assert.Contains("'Saldo' (saldo) must be a number", messages[4]);
        Assert.Contains("not '1.234,5'", messages[4]);
        Assert.Contains("'Vence' (vence) must be a date as yyyy-MM-dd, not '31/12/2026'", messages[5]);
        Assert.Contains("'Activa' (activa) must be true/false (sí/no), not 'Quizás'", messages[6]);

        var records = await CrmTestData.ItemsAsync(admin, $"/api/v1/crm/entities/{entity}/records");
        Assert.Equal(2, records.Count);
        var first = records.Single(r => r.GetProperty("values").GetProperty("producto").GetString() == "Tarjeta").GetProperty("values");
        Assert.Equal(1500.50m, first.GetProperty("saldo").GetDecimal());
        Assert.Equal("2026-12-31", first.GetProperty("vence").GetString());
        Assert.True(first.GetProperty("activa").GetBoolean());
        Assert.Equal("primera", first.GetProperty("nota").GetString());
        var second = records.Single(r => r.GetProperty("values").GetProperty("producto").GetString() == "Crédito").GetProperty("values");
        Assert.Equal(JsonValueKind.Null, second.GetProperty("saldo").ValueKind);
        Assert.Equal("2026-06-30", second.GetProperty("vence").GetString());
        Assert.All(records, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("contactId").ValueKind));

        using var workbook = await ErrorWorkbookAsync(admin, process);
        var errors = workbook.Workbook.Worksheets["Errores"];
        Assert.Equal(Headers.Append("Error"), Enumerable.Range(1, Headers.Length + 1).Select(c => errors.Cells[1, c].Text));
        Assert.Equal(6, errors.Dimension.End.Row);
        Assert.Equal("10", errors.Cells[2, 2].Text);
        Assert.Equal("Leasing", errors.Cells[3, 1].Text);
        Assert.Equal("31/12/2026", errors.Cells[5, 3].Text);
        Assert.Contains("'Quizás'", errors.Cells[6, Headers.Length + 1].Text);
    }

    [Fact]
    public async Task EntityImport_WhenADryRun_SaysWhatWouldBeCreatedAndWritesNothing()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var entity = await EntityAsync(admin);
        var csv = "producto,saldo,vence,activa,nota\r\nTarjeta,10,2026-01-31,No,\r\nCrédito,,,,\r\nNinguno,,,,\r\n";
        var before = await RecordsAsync();

        var process = await RunAsync(admin, Url(entity), Encoding.UTF8.GetBytes(csv), new Dictionary<string, string> { ["dryRun"] = "true" });

        Assert.EndsWith("(dry run)", process.GetProperty("label").GetString());
        Assert.Equal(["would_create", "would_create", "failed"], Outcomes(await ItemsAsync(admin, process)));
        Assert.Equal(before, await RecordsAsync());
        Assert.Empty(await CrmTestData.ItemsAsync(admin, $"/api/v1/crm/entities/{entity}/records"));
    }

    [Fact]
    public async Task EntityImport_WhenHeadersAreNotTheFieldsOrTheEntityIsAnotherTenantsOrTheCallerIsAViewer_IsRefusedAndStartsNothing()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var acme = await api.SignInAsync("admin@acme.test", "acme");
        var entity = await EntityAsync(admin);
        var foreign = await EntityAsync(acme);
        var file = Xlsx(Headers, [["Tarjeta", null, null, null, null]]);
        var before = await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM processes.bulk_processes");

        var extra = await (await PostAsync(admin, Url(entity), Xlsx([.. Headers, "Color"], []), new Dictionary<string, string>()))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var extraMessage = extra.GetProperty("errors").GetProperty("file")[0].GetString()!;
        Assert.Contains("Producto, Saldo, Vence, Activa, Nota.", extraMessage);
        Assert.Contains("Not chosen: Color", extraMessage);

        // An optional field's column is still part of the format: leaving it out is refused too.
        var lacking = await (await PostAsync(admin, Url(entity), Xlsx(["Producto", "Saldo"], []), new Dictionary<string, string>()))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("Missing: Vence, Activa, Nota", lacking.GetProperty("errors").GetProperty("file")[0].GetString());

        await (await PostAsync(admin, Url(foreign), file, new Dictionary<string, string>())).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.GetAsync(Url(foreign) + "/format")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await PostAsync(admin, Url(Guid.NewGuid()), file, new Dictionary<string, string>())).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var viewer = await api.SignInAsync("viewer@demo.test");
        await (await PostAsync(viewer, Url(entity), file, new Dictionary<string, string>())).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.GetAsync(Url(entity) + "/format")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await admin.GetAsync(Url(entity) + "/format?lang=fr")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(before, await CrmTestData.ScalarAsync<long>(api, "SELECT count(*) FROM processes.bulk_processes"));
        Assert.Empty(await CrmTestData.ItemsAsync(acme, $"/api/v1/crm/entities/{foreign}/records"));
    }

    [Fact]
    public async Task EntityImport_WhenTheIdempotencyKeyIsReused_ReplaysTheSameFileAndRefusesAnother()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var entity = await EntityAsync(admin);
        var key = Guid.NewGuid().ToString();
        var file = Xlsx(Headers, [["Tarjeta", "1", null, null, null]]);

        var first = await (await PostAsync(admin, Url(entity), file, new Dictionary<string, string>(), key)).ReadJsonAsync(HttpStatusCode.Accepted);
        var replay = await (await PostAsync(admin, Url(entity), file, new Dictionary<string, string>(), key)).ReadJsonAsync(HttpStatusCode.Accepted);
        var other = await PostAsync(admin, Url(entity), Xlsx(Headers, [["Crédito", "2", null, null, null]]), new Dictionary<string, string>(), key);

        Assert.Equal(first.GetProperty("processId").GetGuid(), replay.GetProperty("processId").GetGuid());
        await other.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        await admin.WaitForProcessAsync(first.GetProperty("processId").GetGuid());
        Assert.Single(await CrmTestData.ItemsAsync(admin, $"/api/v1/crm/entities/{entity}/records"));
    }

    [Theory]
    [InlineData("", "Instrucciones", "Sí")]
    [InlineData("?lang=en", "Instructions", "Yes")]
    public async Task EntityFormat_WhenDownloaded_HasTheFieldsDropDownsAndInstructionsAndFilledInIsWhatTheUploadReads(string query, string helpSheet, string required)
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var entity = await EntityAsync(admin);

        var response = await admin.GetAsync(Url(entity) + "/format" + query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var read = new List<string?>();
        await foreach (var row in api.Services.GetRequiredService<ISpreadsheetReader>().ReadRowsAsync(new MemoryStream(bytes), SpreadsheetFormat.Xlsx, CancellationToken.None))
        {
            read.AddRange(row.Cells);
            break;
        }

        Assert.Equal(Headers, read);
        using var format = new ExcelPackage(new MemoryStream(bytes));
        var sheet = format.Workbook.Worksheets.First();
        Assert.StartsWith("Deudas", sheet.Name);
        var lists = sheet.DataValidations.OfType<ExcelDataValidationList>().ToList();
        Assert.Equal(["Tarjeta", "Crédito"], lists.Single(v => v.Address.Start.Column == 1).Formula.Values);
        Assert.Equal(["Sí", "No"], lists.Single(v => v.Address.Start.Column == 4).Formula.Values);
        Assert.Equal(2, lists.Count);
        var help = format.Workbook.Worksheets[helpSheet];
        Assert.Equal(Headers.Length, help.Dimension.End.Row - 3);
        Assert.Equal(required, help.Cells[2, 2].Text);
        Assert.Equal("No", help.Cells[3, 2].Text);
        Assert.Equal("Tarjeta, Crédito", help.Cells[2, 4].Text);

        (sheet.Cells[2, 1].Value, sheet.Cells[2, 2].Value, sheet.Cells[2, 3].Value) = ("Crédito", 250.75, "2027-01-15");
        var process = await RunAsync(admin, Url(entity), format.GetAsByteArray(), new Dictionary<string, string>());

        Assert.Equal(["created"], Outcomes(await ItemsAsync(admin, process)));
        var record = Assert.Single(await CrmTestData.ItemsAsync(admin, $"/api/v1/crm/entities/{entity}/records")).GetProperty("values");
        Assert.Equal(250.75m, record.GetProperty("saldo").GetDecimal());
    }

    private static string Url(Guid entity) => $"/api/v1/crm/imports/entities/{entity}";

    /// <summary>An entity with a field of each type; the list field required.</summary>
    internal static Task<Guid> EntityAsync(HttpClient client, string name = "Deudas") =>
        CrmTestData.CreateAsync(client, "/api/v1/crm/entities", new
        {
            name = CrmTestData.Unique(name),
            fields = new object[]
            {
                new { key = "producto", label = "Producto", type = "list", required = true, options = new[] { "Tarjeta", "Crédito" } },
                new { key = "saldo", label = "Saldo", type = "number" },
                new { key = "vence", label = "Vence", type = "date" },
                new { key = "activa", label = "Activa", type = "boolean" },
                new { key = "nota", label = "Nota", type = "text" },
            },
        });

    private Task<string> RecordsAsync() =>
        CrmTestData.ScalarAsync<string>(api, "SELECT count(*) || ' ' || md5(coalesce(string_agg(id::text || values::text, ';' ORDER BY id), '')) FROM crm.entity_records");
}
