using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Moonflow.Api.Tests.Processes;
using Moonflow.Api.Tests.Support;
using OfficeOpenXml;

namespace Moonflow.Api.Tests.Interactions;

[Collection(ApiCollection.Name)]
public sealed class InteractionImportTests(MoonflowApiFactory api)
{
    private static readonly string[] SpanishHeaders =
        ["Tipo de documento", "Número de documento", "Canal", "Fecha de envío", "Destinatarios", "Estado", "Asesor", "Plantilla"];

    [Theory]
    [InlineData("", "Comunicaciones", "Tipo de documento", "Instrucciones")]
    [InlineData("?lang=en", "Communications", "DocumentType", "Instructions")]
    public async Task ImportTemplate_WhenDownloaded_HasHeadersDropDownsAndInstructions(string query, string sheetName, string firstHeader, string helpSheet)
    {
        var seller = await api.SignInAsync("seller@demo.test");

        var response = await seller.GetAsync($"/api/v1/interactions/import-template{query}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        using var package = new ExcelPackage(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var sheet = package.Workbook.Worksheets[sheetName];
        Assert.Equal(firstHeader, sheet.Cells[1, 1].Text);
        Assert.Equal(13, sheet.Dimension.End.Column);
        var channelList = sheet.DataValidations.OfType<OfficeOpenXml.DataValidation.ExcelDataValidationList>().First(v => v.Address.Start.Column == 3);
        Assert.Contains("WhatsApp", channelList.Formula.Values);
        Assert.NotNull(package.Workbook.Worksheets[helpSheet]);
        Assert.Equal(13, package.Workbook.Worksheets[helpSheet].Dimension.End.Row - 3);
    }

    [Fact]
    public async Task Import_WhenRowsAreValidDuplicateOrInvalid_RegistersValidOnesAndReportsEachRow()
    {
        var (client, document) = await NewClientAsync();
        var rows = new[]
        {
            new[] { "CC", document, "WhatsApp", "2026-10-01 09:30", "+57 3001112233", "Leída", "agent@demo.test", "recordatorio" },
            new[] { "cc", document, "Correo", "02/10/2026 14:00", "cliente@example.com", "ENTREGADA", null, null },
            new[] { "CC", document, "whatsapp", "2026-10-01 09:30", "+57 3001112233", "Leida", null, null },
            new[] { "CC", "000-no-such-client", "SMS", "2026-10-03 08:00", "+57 3000000000", "Enviada", null, null },
            new[] { "CC", document, "SMS", "31/31/2026", "+57 3000000000", "Enviada", null, null },
            new[] { "CC", document, "Paloma mensajera", "2026-10-03 08:00", "+57 3000000000", "Enviada", null, null },
        };
        var file = Xlsx(SpanishHeaders, rows);
        var seller = await api.SignInAsync("seller@demo.test");

        var first = await seller.WaitForProcessAsync(await UploadAsync(seller, file, "historial.xlsx"));

        Assert.Equal("completed_with_errors", first.GetProperty("status").GetString());
        Assert.Equal("interactions_import", first.GetProperty("type").GetString());
        Assert.Equal(6, first.GetProperty("total").GetInt64());
        Assert.Equal(3, first.GetProperty("succeeded").GetInt64());
        Assert.Equal(3, first.GetProperty("failed").GetInt64());
        var items = await BulkClientActionsTests.ReadAllItemsAsync(seller, first.GetProperty("id").GetGuid());
        Assert.Equal(["created", "created", "duplicate", "failed", "failed", "failed"], items.Select(i => i.GetProperty("outcome").GetString()));
        Assert.Equal([2L, 3, 4, 5, 6, 7], items.Select(i => i.GetProperty("seq").GetInt64()));
        Assert.Contains("No client with document CC 000-no-such-client", items[3].GetProperty("message").GetString());
        Assert.Contains("is not a date", items[4].GetProperty("message").GetString());
        Assert.Contains("Unknown channel 'Paloma mensajera'", items[5].GetProperty("message").GetString());

        var registered = await (await seller.GetAsync($"/api/v1/interactions?clientId={client}&fields=channel,status,source,advisorName,sentAt&sort=sendAt")).ReadJsonAsync();
        var list = registered.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, list.Count);
        Assert.Equal(["whatsapp", "email"], list.Select(i => i.GetProperty("channel").GetString()));
        Assert.Equal(["read", "delivered"], list.Select(i => i.GetProperty("status").GetString()));
        Assert.All(list, i => Assert.Equal("imported", i.GetProperty("source").GetString()));
        Assert.Equal("Demo Agent", list[0].GetProperty("advisorName").GetString());
        Assert.Equal(DateTimeOffset.Parse("2026-10-01T09:30:00-05:00", System.Globalization.CultureInfo.InvariantCulture), list[0].GetProperty("sentAt").GetDateTimeOffset());

        var errorFile = first.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "error_report");
        var workbook = await DownloadWorkbookAsync(seller, first.GetProperty("id").GetGuid(), errorFile.GetProperty("id").GetGuid());
        var errors = workbook.Workbook.Worksheets["Errores"];
        Assert.Equal(SpanishHeaders.Append("Error"), Enumerable.Range(1, SpanishHeaders.Length + 1).Select(c => errors.Cells[1, c].Text));
        Assert.Equal(4, errors.Dimension.End.Row);
        Assert.Equal("000-no-such-client", errors.Cells[2, 2].Text);
        Assert.Equal("31/31/2026", errors.Cells[3, 4].Text);
        Assert.Equal("Paloma mensajera", errors.Cells[4, 3].Text);
        Assert.Contains("Unknown channel", errors.Cells[4, SpanishHeaders.Length + 1].Text);
        Assert.Contains(first.GetProperty("files").EnumerateArray(), f => f.GetProperty("kind").GetString() == "upload" && f.GetProperty("fileName").GetString() == "historial.xlsx");

        var second = await seller.WaitForProcessAsync(await UploadAsync(seller, file, "historial.xlsx"));
        var secondItems = await BulkClientActionsTests.ReadAllItemsAsync(seller, second.GetProperty("id").GetGuid());
        Assert.Equal(["duplicate", "duplicate", "duplicate", "failed", "failed", "failed"], secondItems.Select(i => i.GetProperty("outcome").GetString()));
        var afterSecond = await (await seller.GetAsync($"/api/v1/interactions?clientId={client}&fields=channel")).ReadJsonAsync();
        Assert.Equal(2, afterSecond.GetProperty("items").GetArrayLength());
        var notifications = await (await seller.GetAsync("/api/v1/notifications")).ReadJsonAsync();
        Assert.Contains(notifications.GetProperty("items").EnumerateArray(), n => n.GetProperty("processId").GetGuid() == second.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Import_WhenScheduledRowsAreUploadedTwice_CreatesNothingTheSecondTime()
    {
        var (client, document) = await NewClientAsync();
        var nextMonth = DateTime.UtcNow.AddMonths(1).Date;
        var csv = "Tipo de documento,Número de documento,Canal,Fecha de envío,Destinatarios,Estado\r\n" +
                  $"CC,{document},SMS,{nextMonth:yyyy-MM-dd} 09:00,+57 3001112233,Programada\r\n" +
                  $"CC,{document},SMS,{nextMonth:yyyy-MM-dd} 15:00,+57 3001112233,Programada\r\n" +
                  $"CC,{document},Correo,{nextMonth:yyyy-MM-dd} 09:00,cliente@example.com,Programada\r\n";
        var file = Encoding.UTF8.GetBytes(csv);
        var seller = await api.SignInAsync("seller@demo.test");

        var first = await seller.WaitForProcessAsync(await UploadAsync(seller, file, "programadas.csv"));
        var second = await seller.WaitForProcessAsync(await UploadAsync(seller, file, "programadas.csv"));

        // Two messages scheduled at different times are two communications, even to the same recipient.
        Assert.Equal("completed", first.GetProperty("status").GetString());
        var firstItems = await BulkClientActionsTests.ReadAllItemsAsync(seller, first.GetProperty("id").GetGuid());
        Assert.Equal(["created", "created", "created"], firstItems.Select(i => i.GetProperty("outcome").GetString()));
        Assert.Equal("completed", second.GetProperty("status").GetString());
        Assert.Equal(3, second.GetProperty("succeeded").GetInt64());
        var secondItems = await BulkClientActionsTests.ReadAllItemsAsync(seller, second.GetProperty("id").GetGuid());
        Assert.Equal(["duplicate", "duplicate", "duplicate"], secondItems.Select(i => i.GetProperty("outcome").GetString()));
        var registered = await (await seller.GetAsync($"/api/v1/interactions?clientId={client}&fields=status")).ReadJsonAsync();
        var list = registered.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, list.Count);
        Assert.All(list, i => Assert.Equal("scheduled", i.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Import_WhenCsvHasEnglishHeadersAndValues_RegistersTheRows()
    {
        var (client, document) = await NewClientAsync();
        var csv = $"\uFEFFdocumenttype,DOCUMENT NUMBER,Channel,SentAt,Recipients,Status,Direction,Campaign\r\n" +
                  $"CC,{document},Email,2026-09-15 10:00,\"a@example.com; b@example.com\",Read,Inbound,\"Cobro, preventivo\"\r\n" +
                  $"CC,{document},Voice,2026-09-16 11:00,+57 3009998877,Failed,Outbound,\r\n";
        var seller = await api.SignInAsync("seller@demo.test");

        var process = await seller.WaitForProcessAsync(await UploadAsync(seller, Encoding.UTF8.GetBytes(csv), "history.csv"));

        Assert.Equal("completed", process.GetProperty("status").GetString());
        Assert.Equal(2, process.GetProperty("succeeded").GetInt64());
        var registered = await (await seller.GetAsync($"/api/v1/interactions?clientId={client}&fields=direction,recipients,campaign&sort=sendAt")).ReadJsonAsync();
        var first = registered.GetProperty("items")[0];
        Assert.Equal("inbound", first.GetProperty("direction").GetString());
        Assert.Equal("a@example.com; b@example.com", first.GetProperty("recipients").GetString());
        Assert.Equal("Cobro, preventivo", first.GetProperty("campaign").GetString());
    }

    [Fact]
    public async Task Import_WhenFileIsNotASpreadsheet_Returns415WhateverItsName()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

        var response = await PostFileAsync(seller, png, "comunicaciones.xlsx");

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_file_type");
    }

    [Fact]
    public async Task Import_WhenRequiredHeadersAreMissing_Returns400NamingThem()
    {
        var seller = await api.SignInAsync("seller@demo.test");

        var response = await PostFileAsync(seller, Xlsx(["Tipo de documento", "Número de documento", "Estado"], []), "incompleto.xlsx");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var message = problem.GetProperty("errors").GetProperty("file")[0].GetString();
        Assert.Contains("Canal", message);
        Assert.Contains("Fecha de envío", message);
        Assert.Contains("Destinatarios", message);
        Assert.DoesNotContain("Estado", message);
    }

    [Fact]
    public async Task Import_WhenFileIsTooBigOrEmpty_IsRefusedAtOnce()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var big = Encoding.UTF8.GetBytes(string.Join("\r\n", Enumerable.Repeat("CC,123,SMS,2026-01-01,+57 300,Enviada", 40_000)));
        Assert.True(big.Length > MoonflowApiFactory.MaxUploadBytes);

        await (await PostFileAsync(seller, big, "grande.csv")).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "file_too_large");
        await (await PostFileAsync(seller, [], "vacio.csv")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Import_WhenWorkbookIsCorrupt_Returns422WithAReadableReason()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var entry = archive.CreateEntry("xl/workbook.xml").Open();
            await entry.WriteAsync("<not really a workbook"u8.ToArray());
        }

        var response = await PostFileAsync(seller, zip.ToArray(), "roto.xlsx");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "malformed_file");
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Import_WhenCallerIsAViewer_Returns403()
    {
        var viewer = await api.SignInAsync("viewer@demo.test");

        var response = await PostFileAsync(viewer, Xlsx(SpanishHeaders, []), "x.xlsx");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    private async Task<(Guid Id, string Document)> NewClientAsync()
    {
        var id = (await TestClients.InsertAsync(api, "demo", 1, TestClients.UniqueTag("import")))[0];
        var document = await api.WithDbAsync(async db =>
        {
            await using var command = new Npgsql.NpgsqlCommand("SELECT document_number FROM receivables.clients WHERE id = @id", db);
            command.Parameters.AddWithValue("id", id);
            return (string)(await command.ExecuteScalarAsync())!;
        });
        return (id, document);
    }

    private static async Task<Guid> UploadAsync(HttpClient client, byte[] file, string name)
    {
        var response = await PostFileAsync(client, file, name);
        var accepted = await response.ReadJsonAsync(HttpStatusCode.Accepted);
        return accepted.GetProperty("processId").GetGuid();
    }

    private static Task<HttpResponseMessage> PostFileAsync(HttpClient client, byte[] file, string name)
    {
        var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, "file", name);
        return client.PostAsync("/api/v1/interactions/imports", content);
    }

    private static byte[] Xlsx(string[] headers, IEnumerable<string?[]> rows)
    {
        using var package = new ExcelPackage();
        var sheet = package.Workbook.Worksheets.Add("Comunicaciones");
        for (var c = 0; c < headers.Length; c++)
        {
            sheet.Cells[1, c + 1].Value = headers[c];
        }

        var r = 2;
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                sheet.Cells[r, c + 1].Value = row[c];
            }

            r++;
        }

        return package.GetAsByteArray();
    }

    private static async Task<ExcelPackage> DownloadWorkbookAsync(HttpClient client, Guid processId, Guid fileId)
    {
        var response = await client.GetAsync($"/api/v1/processes/{processId}/files/{fileId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new ExcelPackage(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
    }
}
