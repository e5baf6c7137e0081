using System.Globalization;
using System.Net;
using System.Text;
using Moonflow.Api.Tests.Processes;
using Moonflow.Api.Tests.Support;
using OfficeOpenXml;

namespace Moonflow.Api.Tests.Uploads;

/// <summary>What every upload gets from the pipeline, tried through the interactions upload with real multipart requests.</summary>
[Collection(ApiCollection.Name)]
public sealed class UploadPipelineTests(MoonflowApiFactory api)
{
    private static readonly DateTime March = new(2026, 3, 2, 9, 0, 0);

    [Fact]
    public async Task Upload_WhenDryRunIsAskedInTheQuery_ReportsWhatWouldHappenAndRegistersNothing()
    {
        var (client, document) = await Uploads.NewClientAsync(api);
        var seller = await api.SignInAsync("seller@demo.test");
        var registered = await seller.WaitForProcessAsync(await AcceptedAsync(await Uploads.PostAsync(seller, Uploads.Form(Uploads.Csv(document, 1, March)))));
        Assert.Equal("completed", registered.GetProperty("status").GetString());

        // Row 2 is the one registered above, row 3 is new, row 4 repeats row 3, row 5 names an unknown channel.
        var file = Encoding.UTF8.GetBytes(
            Uploads.CsvHeader +
            Row(document, "SMS", March.AddMinutes(1), "+57 3000000001") +
            Row(document, "SMS", March.AddMinutes(2), "+57 3000000002") +
            Row(document, "SMS", March.AddMinutes(2), "+57 3000000002") +
            Row(document, "Paloma", March.AddMinutes(3), "+57 3000000003"));

        var dryRun = await seller.WaitForProcessAsync(await AcceptedAsync(await Uploads.PostAsync(seller, Uploads.Form(file, "prueba.csv"), "?dryRun=true")));

        Assert.Equal("completed_with_errors", dryRun.GetProperty("status").GetString());
        Assert.True(dryRun.GetProperty("parameters").GetProperty("dryRun").GetBoolean());
        Assert.Contains("dry run", dryRun.GetProperty("label").GetString());
        Assert.Equal(3, dryRun.GetProperty("succeeded").GetInt64());
        Assert.Equal(1, dryRun.GetProperty("failed").GetInt64());
        var items = await BulkClientActionsTests.ReadAllItemsAsync(seller, dryRun.GetProperty("id").GetGuid());
        Assert.Equal(["duplicate", "would_create", "duplicate", "failed"], items.Select(i => i.GetProperty("outcome").GetString()));
        Assert.Contains("Already registered", items[0].GetProperty("message").GetString());
        Assert.Contains("Repeats an earlier row", items[2].GetProperty("message").GetString());
        Assert.Contains("Unknown channel 'Paloma'", items[3].GetProperty("message").GetString());
        Assert.Equal(1, await Uploads.CountInteractionsAsync(api, client));
        Assert.Contains(dryRun.GetProperty("files").EnumerateArray(), f => f.GetProperty("kind").GetString() == "error_report");

        var real = await seller.WaitForProcessAsync(await AcceptedAsync(await Uploads.PostAsync(seller, Uploads.Form(file, "prueba.csv"))));
        var realItems = await BulkClientActionsTests.ReadAllItemsAsync(seller, real.GetProperty("id").GetGuid());
        Assert.Equal(["duplicate", "created", "duplicate", "failed"], realItems.Select(i => i.GetProperty("outcome").GetString()));
        Assert.Equal(2, await Uploads.CountInteractionsAsync(api, client));
    }

    [Fact]
    public async Task Upload_WhenDryRunIsAFormField_RegistersNothing()
    {
        var (client, document) = await Uploads.NewClientAsync(api);
        var seller = await api.SignInAsync("seller@demo.test");

        var response = await Uploads.PostAsync(seller, Uploads.Form(Uploads.Csv(document, 2, March), fields: new Dictionary<string, string> { ["dryRun"] = "true" }));
        var process = await seller.WaitForProcessAsync(await AcceptedAsync(response));

        Assert.Equal("completed", process.GetProperty("status").GetString());
        var items = await BulkClientActionsTests.ReadAllItemsAsync(seller, process.GetProperty("id").GetGuid());
        Assert.Equal(["would_create", "would_create"], items.Select(i => i.GetProperty("outcome").GetString()));
        Assert.Equal(0, await Uploads.CountInteractionsAsync(api, client));
        var wouldCreate = await (await seller.GetAsync($"/api/v1/processes/{process.GetProperty("id").GetGuid()}/items?outcome=would_create")).ReadJsonAsync();
        Assert.Equal(2, wouldCreate.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Upload_WhenDryRunFieldIsNotABoolean_Returns400AndKeepsNoFile()
    {
        var (_, document) = await Uploads.NewClientAsync(api);
        var seller = await api.SignInAsync("seller@demo.test");
        var stored = Uploads.StoredUploads(api);

        var response = await Uploads.PostAsync(seller, Uploads.Form(Uploads.Csv(document, 1, March), fields: new Dictionary<string, string> { ["dryRun"] = "quizás" }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("dryRun", out _));
        Assert.Equal(stored, Uploads.StoredUploads(api));
    }

    [Fact]
    public async Task Upload_WhenRetriedWithSameKeyAndFile_ReplaysTheFirstAnswerAndStartsOneProcess()
    {
        var (client, document) = await Uploads.NewClientAsync(api);
        var seller = await api.SignInAsync("seller@demo.test");
        var file = Uploads.Csv(document, 3, March);
        var key = Guid.NewGuid().ToString();
        var stored = Uploads.StoredUploads(api);

        var first = await Uploads.PostAsync(seller, Uploads.Form(file, "reintento.csv"), idempotencyKey: key);
        var second = await Uploads.PostAsync(seller, Uploads.Form(file, "reintento.csv"), idempotencyKey: key);

        var firstBody = await first.ReadJsonAsync(HttpStatusCode.Accepted);
        var secondBody = await second.ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(firstBody.GetProperty("processId").GetGuid(), secondBody.GetProperty("processId").GetGuid());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(stored + 1, Uploads.StoredUploads(api));
        await seller.WaitForProcessAsync(firstBody.GetProperty("processId").GetGuid());
        Assert.Equal(3, await Uploads.CountInteractionsAsync(api, client));
    }

    [Theory]
    [InlineData("another file", "")]
    [InlineData("the same file as a dry run", "?dryRun=true")]
    public async Task Upload_WhenKeyIsReusedForAnotherRequest_Returns422(string _, string secondQuery)
    {
        var (_, document) = await Uploads.NewClientAsync(api);
        var seller = await api.SignInAsync("seller@demo.test");
        var key = Guid.NewGuid().ToString();
        var file = Uploads.Csv(document, 1, March);
        await (await Uploads.PostAsync(seller, Uploads.Form(file), idempotencyKey: key)).ReadJsonAsync(HttpStatusCode.Accepted);
        var stored = Uploads.StoredUploads(api);

        var second = secondQuery.Length == 0 ? Uploads.Csv(document, 2, March) : file;
        var reused = await Uploads.PostAsync(seller, Uploads.Form(second), secondQuery, key);

        await reused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.Equal(stored, Uploads.StoredUploads(api));
    }

    [Fact]
    public async Task Upload_WhenTheFileIsInAnotherField_Returns400NamingFile()
    {
        var seller = await api.SignInAsync("seller@demo.test");

        var response = await Uploads.PostAsync(seller, Uploads.Form(Uploads.Csv("123", 1, March), field: "documento"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("'file'", problem.GetProperty("errors").GetProperty("file")[0].GetString());
    }

    [Fact]
    public async Task Upload_WhenTheBodyIsNotMultipart_Returns415()
    {
        var seller = await api.SignInAsync("seller@demo.test");

        var response = await seller.PostAsync(Uploads.Url, new ByteArrayContent(Uploads.Csv("123", 1, March)));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task Upload_WhenCallerIsNotSignedIn_Returns401AndStoresNothing()
    {
        var stored = Uploads.StoredUploads(api);

        var response = await Uploads.PostAsync(api.CreateClient(), Uploads.Form(Uploads.Csv("123", 1, March)));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal(stored, Uploads.StoredUploads(api));
    }

    [Fact]
    public async Task Upload_WhenCallerLacksThePermission_Returns403AndStoresNothing()
    {
        var viewer = await api.SignInAsync("viewer@demo.test");
        var stored = Uploads.StoredUploads(api);

        var response = await Uploads.PostAsync(viewer, Uploads.Form(Uploads.Csv("123", 1, March)));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(stored, Uploads.StoredUploads(api));
    }

    [Theory]
    [InlineData("an image", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 }, HttpStatusCode.UnsupportedMediaType, "unsupported_file_type")]
    [InlineData("no required column", new byte[] { (byte)'a', (byte)',', (byte)'b', 13, 10 }, HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("nothing", new byte[0], HttpStatusCode.BadRequest, "validation_failed")]
    public async Task Upload_WhenTheFileIsRefused_KeepsNoFile(string _, byte[] file, HttpStatusCode status, string code)
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var stored = Uploads.StoredUploads(api);

        var response = await Uploads.PostAsync(seller, Uploads.Form(file, "datos.xlsx"));

        await response.AssertProblemAsync(status, code);
        Assert.Equal(stored, Uploads.StoredUploads(api));
    }

    [Fact]
    public async Task Upload_WhenFileIsExactlyTheLimit_IsReadToTheEnd()
    {
        var seller = await api.SignInAsync("seller@demo.test");

        // Headers that miss required columns: a 400 about them, not 413, proves the whole file was taken.
        var response = await Uploads.PostAsync(seller, new GeneratedUpload(MoonflowApiFactory.MaxUploadBytes));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("lacks required columns", problem.GetProperty("errors").GetProperty("file")[0].GetString());
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(1, false)]
    [InlineData(39 * MoonflowApiFactory.MaxUploadBytes, true)]
    [InlineData(39 * MoonflowApiFactory.MaxUploadBytes, false)]
    public async Task Upload_WhenFileIsOverTheLimit_Returns413FileTooLargeAndKeepsNothing(long bytesOver, bool declareLength)
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var stored = Uploads.StoredUploads(api);

        var response = await Uploads.PostAsync(seller, new GeneratedUpload(MoonflowApiFactory.MaxUploadBytes + bytesOver, declareLength));

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "file_too_large");
        Assert.Contains("1 MB", problem.GetProperty("detail").GetString());
        Assert.Equal(stored, Uploads.StoredUploads(api));
    }

    [Fact]
    public async Task ErrorWorkbook_WhenRowsFail_HoldsTheRowsAsUploadedWithTheirRowNumbers()
    {
        var (_, document) = await Uploads.NewClientAsync(api);
        var seller = await api.SignInAsync("seller@demo.test");

        var process = await seller.WaitForProcessAsync(await AcceptedAsync(
            await Uploads.PostAsync(seller, Uploads.Form(Uploads.Csv(document, 6, March, badChannel: i => i % 2 == 0)))));

        var errorFile = process.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "error_report");
        var download = await seller.GetAsync($"/api/v1/processes/{process.GetProperty("id").GetGuid()}/files/{errorFile.GetProperty("id").GetGuid()}");
        using var workbook = new ExcelPackage(new MemoryStream(await download.Content.ReadAsByteArrayAsync()));
        var errors = workbook.Workbook.Worksheets["Errores"];
        Assert.Equal(["Tipo de documento", "Número de documento", "Canal", "Fecha de envío", "Destinatarios", "Estado", "Error", "Original row"],
            Enumerable.Range(1, 8).Select(c => errors.Cells[1, c].Text));
        Assert.Equal(4, errors.Dimension.End.Row);
        Assert.All(Enumerable.Range(2, 3), r => Assert.Equal("Paloma", errors.Cells[r, 3].Text));
        Assert.Equal(["3", "5", "7"], Enumerable.Range(2, 3).Select(r => errors.Cells[r, 8].Text));
        Assert.All(Enumerable.Range(2, 3), r => Assert.Contains("Unknown channel", errors.Cells[r, 7].Text));
    }

    private static string Row(string document, string channel, DateTime sentAt, string recipients) =>
        string.Create(CultureInfo.InvariantCulture, $"CC,{document},{channel},{sentAt:yyyy-MM-dd HH:mm},{recipients},Enviada\r\n");

    private static async Task<Guid> AcceptedAsync(HttpResponseMessage response)
    {
        var accepted = await response.ReadJsonAsync(HttpStatusCode.Accepted);
        var processId = accepted.GetProperty("processId").GetGuid();
        Assert.EndsWith($"/api/v1/processes/{processId}", response.Headers.Location?.ToString());
        return processId;
    }
}
