using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Common.Spreadsheets;
using OfficeOpenXml;

namespace Moonflow.Api.Tests.Crm;

[Collection(ApiCollection.Name)]
public sealed class ScreenImportTests(MoonflowApiFactory api)
{
    private const string Url = "/api/v1/crm/screens/import";

    private static readonly string[] SpanishHeaders = ["Pantalla", "Sub-pantalla", "Nombre del script", "Texto del script"];

    [Fact]
    public async Task Import_WhenRowsCreateUpdateRepeatOrLackValues_DoesEachAndReportsEveryRow()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var (screen, other) = (CrmTestData.Unique("Cobranza"), CrmTestData.Unique("Ventas"));
        var label = $"lblImp{Guid.NewGuid():N}"[..16];
        await CrmTestData.CreateAsync(admin, "/api/v1/crm/screens", new
        {
            name = screen,
            subScreens = new[] { new { name = "Saludo", scripts = new[] { new { name = "Apertura", text = "Hola" }, new { name = "Igual", text = "Sin cambios" } } } },
        });
        string?[][] rows =
        [
            [screen, "Saludo", "Apertura", $"Hola {{{label}}}, ¿cómo está?"],
            [screen, "Saludo", "Cierre", $"Gracias\nAdiós {label}"],
            [screen, "Saludo", "Igual", "Sin cambios"],
            [screen, "Oferta", "Descuento", "Le ofrecemos 10%"],
            [other, "Inicio", "Único", "Bienvenido"],
            [screen, "Saludo", "Cierre", "Otra versión"],
            [screen, null, "Huérfano", "Sin sub-pantalla"],
            [screen, "Saludo", "Largo", new string('x', 20_001)],
        ];

        var process = await CrmProcessFiles.RunAsync(admin, Url, CrmProcessFiles.Xlsx("Pantallas", SpanishHeaders, rows), "pantallas.xlsx");

        Assert.Equal("completed_with_errors", process.GetProperty("status").GetString());
        Assert.Equal("crm_screens_import", process.GetProperty("type").GetString());
        Assert.Equal((8, 5, 3), (process.GetProperty("total").GetInt64(), process.GetProperty("succeeded").GetInt64(), process.GetProperty("failed").GetInt64()));
        var items = await CrmProcessFiles.ItemsAsync(admin, process);
        Assert.Equal(["updated", "created", "skipped", "created", "created", "failed", "failed", "failed"], items.Select(i => i.GetProperty("outcome").GetString()));
        Assert.Equal($"{screen} › Saludo › Apertura", items[0].GetProperty("recordKey").GetString());
        Assert.Contains("Repeats an earlier row", items[5].GetProperty("message").GetString());
        Assert.Contains("Sub-pantalla", items[6].GetProperty("message").GetString());
        Assert.Contains("longer than 20,000", items[7].GetProperty("message").GetString());

        var screens = (await (await admin.GetAsync("/api/v1/crm/screens")).ReadJsonAsync()).EnumerateArray().ToList();
        var imported = screens.Single(s => s.GetProperty("name").GetString() == screen);
        Assert.Equal(["Saludo", "Oferta"], imported.GetProperty("subScreens").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        var saludo = imported.GetProperty("subScreens")[0].GetProperty("scripts").EnumerateArray().ToList();
        Assert.Equal(["Apertura:1", "Igual:2", "Cierre:3"], saludo.Select(s => $"{s.GetProperty("name").GetString()}:{s.GetProperty("position").GetInt32()}"));
        Assert.Equal($"Hola {{{label}}}, ¿cómo está?", saludo[0].GetProperty("text").GetString());
        Assert.Equal($"Gracias\nAdiós {label}", saludo[2].GetProperty("text").GetString());
        Assert.Single(screens, s => s.GetProperty("name").GetString() == other);

        // What was imported is what the usage search finds.
        var usages = await CrmTestData.AllItemsAsync(admin, $"/api/v1/crm/scripts/usages?object={label}");
        Assert.Equal(["Apertura:1", "Cierre:2"], usages.Select(u => $"{u.GetProperty("script").GetProperty("name").GetString()}:{u.GetProperty("line").GetInt32()}"));

        var again = await CrmProcessFiles.RunAsync(admin, Url, CrmProcessFiles.Xlsx("Pantallas", SpanishHeaders, rows), "pantallas.xlsx");
        Assert.Equal(
            ["skipped", "skipped", "skipped", "skipped", "skipped", "failed", "failed", "failed"],
            (await CrmProcessFiles.ItemsAsync(admin, again)).Select(i => i.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task Import_WhenDryRun_ReportsWhatWouldHappenAndWritesNothing()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var screen = CrmTestData.Unique("Prueba");
        await CrmTestData.CreateAsync(admin, "/api/v1/crm/screens", new
        {
            name = screen, subScreens = new[] { new { name = "Saludo", scripts = new[] { new { name = "Apertura", text = "Hola" } } } },
        });
        var csv = Encoding.UTF8.GetBytes(
            "Screen,SubScreen,ScriptName,ScriptText\r\n" +
            $"{screen},Saludo,Apertura,Hola de nuevo\r\n" +
            $"{screen},Saludo,Nuevo,Texto\r\n" +
            $"{screen},Otra,Nuevo,Texto\r\n" +
            $"{screen},Saludo,Apertura,Hola\r\n" +
            $",Saludo,Apertura,Hola\r\n");
        var before = await CountsAsync();

        var dryRun = await CrmProcessFiles.RunAsync(admin, Url, csv, "pantallas.csv", new Dictionary<string, string> { ["dryRun"] = "true" });

        Assert.True(dryRun.GetProperty("parameters").GetProperty("dryRun").GetBoolean());
        Assert.Equal(
            ["would_update", "would_create", "would_create", "failed", "failed"],
            (await CrmProcessFiles.ItemsAsync(admin, dryRun)).Select(i => i.GetProperty("outcome").GetString()));
        Assert.Equal(before, await CountsAsync());

        var real = await CrmProcessFiles.RunAsync(admin, Url, csv, "pantallas.csv");
        Assert.Equal(
            ["updated", "created", "created", "failed", "failed"],
            (await CrmProcessFiles.ItemsAsync(admin, real)).Select(i => i.GetProperty("outcome").GetString()));
        Assert.Equal((before.Screens, before.SubScreens + 1, before.Scripts + 2), await CountsAsync());
    }

    [Fact]
    public async Task Import_WhenRowsFail_TheErrorWorkbookHoldsThemAsUploadedWithTheReason()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var screen = CrmTestData.Unique("Errores");
        string?[][] rows = [[screen, "Saludo", "Bien", "Hola"], [screen, "Saludo", null, "Sin nombre"], [screen, "Saludo", "Bien", "Repetido"]];

        var process = await CrmProcessFiles.RunAsync(admin, Url, CrmProcessFiles.Xlsx("Hoja", SpanishHeaders, rows), "pantallas.xlsx");

        var errors = await CrmProcessFiles.ErrorRowsAsync(admin, process);
        Assert.Equal([.. SpanishHeaders, "Error", "Original row"], errors[0]);
        Assert.Equal(3, errors.Count);
        Assert.Equal([screen, "Saludo", "", "Sin nombre"], errors[1][..4]);
        Assert.Contains("Nombre del script", errors[1][4]);
        Assert.Equal("3", errors[1][5]);
        Assert.Equal("Repetido", errors[2][3]);
        Assert.Contains("Repeats an earlier row", errors[2][4]);
        Assert.Equal("4", errors[2][5]);
    }

    [Fact]
    public async Task Import_WhenAnotherTenantHasTheScreen_CreatesItsOwnAndLeavesTheOtherAlone()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var acme = await api.SignInAsync("admin@acme.test", "acme");
        var screen = CrmTestData.Unique("Compartida");
        await CrmTestData.CreateAsync(acme, "/api/v1/crm/screens", new
        {
            name = screen, subScreens = new[] { new { name = "Saludo", scripts = new[] { new { name = "Apertura", text = "De acme" } } } },
        });

        var process = await CrmProcessFiles.RunAsync(admin, Url, CrmProcessFiles.Xlsx("Pantallas", SpanishHeaders, [[screen, "Saludo", "Apertura", "De demo"]]), "p.xlsx");

        Assert.Equal("created", Assert.Single(await CrmProcessFiles.ItemsAsync(admin, process)).GetProperty("outcome").GetString());
        var acmeScreen = (await (await acme.GetAsync("/api/v1/crm/screens")).ReadJsonAsync()).EnumerateArray().Single(s => s.GetProperty("name").GetString() == screen);
        Assert.Equal("De acme", Assert.Single(acmeScreen.GetProperty("subScreens")[0].GetProperty("scripts").EnumerateArray()).GetProperty("text").GetString());
    }

    [Fact]
    public async Task Import_WhenAViewerUploadsOrAColumnIsMissing_IsRefused()
    {
        var viewer = await api.SignInAsync("viewer@demo.test");
        var admin = await api.SignInAsync("admin@demo.test");
        var file = CrmProcessFiles.Xlsx("Pantallas", SpanishHeaders, [["A", "B", "C", "D"]]);

        await (await CrmProcessFiles.PostAsync(viewer, Url, file, "p.xlsx")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.GetAsync("/api/v1/crm/imports/screens/format")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var missing = await (await CrmProcessFiles.PostAsync(admin, Url, CrmProcessFiles.Xlsx("P", ["Pantalla", "Sub-pantalla", "Nombre del script"], [["A", "B", "C"]]), "p.xlsx"))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("Texto del script (ScriptText)", missing.GetProperty("errors").GetProperty("file")[0].GetString());
    }

    [Theory]
    [InlineData("", "Pantallas", "Instrucciones", "Pantalla")]
    [InlineData("?lang=es", "Pantallas", "Instrucciones", "Pantalla")]
    [InlineData("?lang=en", "Screens", "Instructions", "Screen")]
    public async Task Format_WhenDownloadedFilledAndUploaded_IsReadBackAndImports(string query, string sheetName, string helpSheet, string firstHeader)
    {
        var admin = await api.SignInAsync("admin@demo.test");

        var response = await admin.GetAsync($"/api/v1/crm/imports/screens/format{query}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var headers = new List<string?>();
        await foreach (var row in api.Services.GetRequiredService<ISpreadsheetReader>().ReadRowsAsync(new MemoryStream(bytes), SpreadsheetFormat.Xlsx, CancellationToken.None))
        {
            headers.AddRange(row.Cells);
            break;
        }

        Assert.Equal(4, headers.Count);
        Assert.Equal(firstHeader, headers[0]);
        using var package = new ExcelPackage(new MemoryStream(bytes));
        Assert.Equal(sheetName, package.Workbook.Worksheets.First().Name);
        Assert.Equal(4, package.Workbook.Worksheets[helpSheet].Dimension.End.Row - 3);

        var screen = CrmTestData.Unique("Formato");
        var data = package.Workbook.Worksheets[sheetName];
        (data.Cells[2, 1].Value, data.Cells[2, 2].Value, data.Cells[2, 3].Value, data.Cells[2, 4].Value) = (screen, "Saludo", "Apertura", "Hola {lblEtiqueta1}");
        var process = await CrmProcessFiles.RunAsync(admin, Url, package.GetAsByteArray(), "formato.xlsx");
        Assert.Equal("created", Assert.Single(await CrmProcessFiles.ItemsAsync(admin, process)).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Format_WhenTheLanguageIsUnknown_Is400()
    {
        var admin = await api.SignInAsync("admin@demo.test");

        await (await admin.GetAsync("/api/v1/crm/imports/screens/format?lang=fr")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    private Task<(long Screens, long SubScreens, long Scripts)> CountsAsync() =>
        api.WithDbAsync(async db =>
        {
            await using var command = new Npgsql.NpgsqlCommand(
                "SELECT (SELECT count(*) FROM crm.screens), (SELECT count(*) FROM crm.sub_screens), (SELECT count(*) FROM crm.scripts)", db);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        });
}
