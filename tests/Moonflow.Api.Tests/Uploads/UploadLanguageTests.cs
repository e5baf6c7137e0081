using System.Net;
using System.Text;
using Moonflow.Api.Tests.Support;
using OfficeOpenXml;

namespace Moonflow.Api.Tests.Uploads;

/// <summary>
/// An upload speaks the language of the request that started it: its rows' failure reasons, its error workbook, and
/// why the file could not be read, whoever reads them later. The readers' and rows' English words are found under reason.*.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class UploadLanguageTests(MoonflowApiFactory api)
{
    private static readonly DateTime March = new(2026, 3, 2, 9, 0, 0);

    [Fact]
    public async Task FailedRows_OfAnUploadAskedInSpanish_AreExplainedInSpanishInItsItemsAndErrorWorkbook()
    {
        var (_, document) = await Uploads.NewClientAsync(api);
        var seller = InSpanish(await api.SignInAsync("seller@demo.test"));

        var accepted = await (await Uploads.PostAsync(seller, Uploads.Form(Uploads.Csv(document, 4, March, badChannel: i => i == 2))))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        var process = await seller.WaitForProcessAsync(accepted.GetProperty("processId").GetGuid());
        var processId = process.GetProperty("id").GetGuid();

        var english = await api.SignInAsync("seller@demo.test"); // read later by someone asking in English: the upload's language stays
        var items = await (await english.GetAsync($"/api/v1/processes/{processId}/items?outcome=failed")).ReadJsonAsync();
        var failed = items.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("outcome").GetString() == "failed").ToList();
        Assert.Equal("Canal desconocido 'Paloma'; use WhatsApp, SMS, Email, Voz, Push o RCS.", Assert.Single(failed).GetProperty("message").GetString());

        var errorFile = process.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "error_report");
        var download = await english.GetAsync($"/api/v1/processes/{processId}/files/{errorFile.GetProperty("id").GetGuid()}");
        using var workbook = new ExcelPackage(new MemoryStream(await download.Content.ReadAsByteArrayAsync()));
        var errors = workbook.Workbook.Worksheets["Errores"];
        Assert.Equal(["Error", "Fila original"], Enumerable.Range(7, 2).Select(c => errors.Cells[1, c].Text));
        Assert.Equal("Canal desconocido 'Paloma'; use WhatsApp, SMS, Email, Voz, Push o RCS.", errors.Cells[2, 7].Text);
        Assert.Equal("3", errors.Cells[2, 8].Text);
    }

    [Theory]
    [InlineData("es", "Fila 1 tiene un campo entre comillas que no se cierra.")]
    [InlineData("en", "Row 1 has an unterminated quoted field.")]
    public async Task UnreadableFile_IsRefusedWithTheReadersReasonInTheCallersLanguage(string language, string detail)
    {
        var seller = await api.SignInAsync("seller@demo.test");
        seller.DefaultRequestHeaders.AcceptLanguage.Clear();
        seller.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        var file = Encoding.UTF8.GetBytes("Tipo de documento,\"Número de documento\r\nCC,123\r\n");

        var problem = await (await Uploads.PostAsync(seller, Uploads.Form(file))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "malformed_file");

        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task FileThatBreaksWhileRead_FailsItsProcessWithTheReasonInTheUploadsLanguage()
    {
        var (_, document) = await Uploads.NewClientAsync(api);
        var seller = InSpanish(await api.SignInAsync("seller@demo.test"));
        var file = Uploads.Csv(document, 3, March).Concat(Encoding.UTF8.GetBytes($"CC,{document},SMS,\"2026-03-02 10:00\r\n")).ToArray();

        var accepted = await (await Uploads.PostAsync(seller, Uploads.Form(file))).ReadJsonAsync(HttpStatusCode.Accepted);
        var process = await (await api.SignInAsync("seller@demo.test")).WaitForProcessAsync(accepted.GetProperty("processId").GetGuid());

        Assert.Equal("failed", process.GetProperty("status").GetString());
        Assert.Equal("Fila 5 tiene un campo entre comillas que no se cierra.", process.GetProperty("failureReason").GetString());
    }

    [Fact]
    public async Task HeaderRowWithoutRequiredColumns_IsRefusedInSpanishNamingTheColumns()
    {
        var seller = InSpanish(await api.SignInAsync("seller@demo.test"));
        var file = Encoding.UTF8.GetBytes("Tipo de documento,Número de documento\r\nCC,123\r\n");

        var problem = await (await Uploads.PostAsync(seller, Uploads.Form(file))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        var message = problem.GetProperty("errors").GetProperty("file")[0].GetString();
        Assert.StartsWith("Al archivo le faltan columnas obligatorias: Canal (Channel)", message);
        Assert.EndsWith("Descargue la plantilla para verlas.", message);
    }

    private static HttpClient InSpanish(HttpClient client)
    {
        client.DefaultRequestHeaders.AcceptLanguage.Clear();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es");
        return client;
    }
}
