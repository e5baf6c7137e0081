using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Moonflow.Api.Tests.Support;
using Npgsql;
using OfficeOpenXml;

namespace Moonflow.Api.Tests.Exports;

public sealed class OnlineExportTests(ExportsFactory api) : IClassFixture<ExportsFactory>
{
    [Fact]
    public async Task Preview_WhenClientsRangeIsShort_SaysOnlineWithTheEstimate()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var today = ExportTestSupport.DemoToday;

        var preview = await (await seller.PostAsJsonAsync("/api/v1/exports/preview", new { tray = "clients", from = today.AddDays(-10), to = today })).ReadJsonAsync();

        Assert.Equal("online", preview.GetProperty("mode").GetString());
        Assert.True(preview.GetProperty("estimatedRows").GetInt64() >= 300);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, preview.GetProperty("scheduledFor").ValueKind);
    }

    [Fact]
    public async Task Download_InSpanishAndInEnglish_IsHeadedInTheLanguageOfItsRequest()
    {
        var today = ExportTestSupport.DemoToday;
        var body = new { tray = "clients", from = today.AddDays(-3), to = today, format = "csv", columns = new[] { "name", "email", "createdAt" } };
        var spanish = await api.SignInAsync("admin@demo.test");
        spanish.DefaultRequestHeaders.AcceptLanguage.Clear();
        spanish.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es-CO");
        var english = await api.SignInAsync("admin@demo.test");

        var es = await spanish.WaitForExportAsync((await (await spanish.RequestAsync(body)).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("exportId").GetGuid());
        var en = await english.WaitForExportAsync((await (await english.RequestAsync(body with { format = "xlsx" })).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("exportId").GetGuid());

        var csv = Encoding.UTF8.GetString(await english.DownloadAsync(es, "text/csv")); // the file keeps its language, whoever downloads it
        Assert.StartsWith("\uFEFFNombre,Correo,Fecha de creación\r\n", csv);
        using var workbook = new ExcelPackage(new MemoryStream(await spanish.DownloadAsync(en, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")));
        var sheet = workbook.Workbook.Worksheets["clients"];
        Assert.Equal(["Name", "E-mail", "Created at"], Enumerable.Range(1, 3).Select(c => sheet.Cells[1, c].Text));
        var process = await (await spanish.GetAsync($"/api/v1/processes/{en.GetProperty("processId").GetGuid()}")).ReadJsonAsync();
        Assert.StartsWith("Descarga de clients ", process.GetProperty("label").GetString()); // the label follows its reader
    }

    [Fact]
    public async Task OnlineClientsXlsx_WhenReady_HoldsEveryRowTypedAndNeutralised()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var today = ExportTestSupport.DemoToday;
        await InsertClientAsync("=HYPERLINK(\"http://evil.example\")", "@SUM(A1)");
        var expected = await CountClientsCreatedSinceAsync(today.AddDays(-3));

        var accepted = await (await seller.RequestAsync(new { tray = "clients", from = today.AddDays(-3), to = today, format = "xlsx" })).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("online", accepted.GetProperty("mode").GetString());
        var export = await seller.WaitForExportAsync(accepted.GetProperty("exportId").GetGuid());

        Assert.Equal("completed", export.GetProperty("status").GetString());
        Assert.Equal(expected, export.GetProperty("rowCount").GetInt64());
        using var workbook = new ExcelPackage(new MemoryStream(await seller.DownloadAsync(export, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")));
        var sheet = workbook.Workbook.Worksheets["clients"];
        Assert.Equal(["Document type", "Document number", "Name", "E-mail", "Phone", "Tags", "Created at"], // asked in English
            Enumerable.Range(1, 7).Select(c => sheet.Cells[1, c].Text));
        Assert.Equal(expected + 1, sheet.Dimension.End.Row);
        var names = Enumerable.Range(2, (int)expected).Select(r => sheet.Cells[r, 3].Value as string).ToList();
        Assert.Contains("'=HYPERLINK(\"http://evil.example\")", names);
        Assert.DoesNotContain(names, n => n is not null && n[0] is '=' or '+' or '-' or '@');
        Assert.IsType<double>(sheet.Cells[2, 7].Value);
        Assert.True(sheet.Cells[2, 7].GetValue<DateTime>() > DateTime.Today.AddDays(-5));
        var process = await (await seller.GetAsync($"/api/v1/processes/{export.GetProperty("processId").GetGuid()}")).ReadJsonAsync();
        Assert.Equal("completed", process.GetProperty("status").GetString());
        Assert.Equal(expected, process.GetProperty("processed").GetInt64());
    }

    [Fact]
    public async Task OnlinePaymentOrdersCsv_WhenReady_IsRfc4180WithBomAndOnlyThisTenantsFilteredRows()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var today = ExportTestSupport.DemoToday;
        var expected = await api.WithDbAsync(async db =>
        {
            await using var count = new NpgsqlCommand(
                "SELECT count(*) FROM receivables.payment_orders o JOIN identity.tenants t ON t.id = o.tenant_id AND t.slug = 'demo' WHERE o.status IN ('Paid','Overdue') AND o.issue_date BETWEEN @from AND @to", db);
            count.Parameters.AddWithValue("from", today.AddDays(-59));
            count.Parameters.AddWithValue("to", today);
            return (long)(await count.ExecuteScalarAsync())!;
        });
        Assert.True(expected > 0);

        var accepted = await (await admin.RequestAsync(new
        {
            tray = "payment-orders", from = today.AddDays(-59), to = today, format = "csv",
            columns = new[] { "number", "amount", "status", "dueDate" }, filters = new { statuses = new[] { "paid", "overdue" } },
        })).ReadJsonAsync(HttpStatusCode.Accepted);
        var export = await admin.WaitForExportAsync(accepted.GetProperty("exportId").GetGuid());
        var bytes = await admin.DownloadAsync(export, "text/csv");

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes.Take(3));
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Number,Amount,Status,Due date", lines[0]); // asked in English
        Assert.Equal(expected, lines.Length - 1);
        Assert.All(lines.Skip(1), line =>
        {
            var cells = line.Split(',');
            Assert.StartsWith("OP-", cells[0]);
            Assert.True(decimal.TryParse(cells[1], NumberStyles.Number, CultureInfo.InvariantCulture, out _), line);
            Assert.Contains(cells[2], new[] { "paid", "overdue" });
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", cells[3]);
        });
    }

    [Theory]
    [InlineData("clients", -181, "range_too_long")]
    [InlineData("interactions", -45, "range_too_long")]
    public async Task Request_WhenRangeIsLongerThanTheTrayAllows_Returns400RangeTooLong(string tray, int fromDays, string code)
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var today = ExportTestSupport.DemoToday;

        var response = await seller.RequestAsync(new { tray, from = today.AddDays(fromDays), to = today, format = "csv" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, code);
        Assert.Contains("days", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Request_WhenShapeIsWrong_Returns400NamingTheField()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var today = ExportTestSupport.DemoToday;

        var backwards = await seller.RequestAsync(new { tray = "clients", from = today, to = today.AddDays(-1), format = "csv" });
        var unknownTray = await seller.RequestAsync(new { tray = "spaceships", from = today, to = today, format = "csv" });
        var unknownColumn = await seller.RequestAsync(new { tray = "clients", from = today, to = today, format = "csv", columns = new[] { "name", "shoeSize" } });
        var unknownFilter = await seller.RequestAsync(new { tray = "clients", from = today, to = today, format = "csv", filters = new { colour = "red" } });
        var badFormat = await seller.RequestAsync(new { tray = "clients", from = today, to = today, format = "pdf" });

        Assert.True((await backwards.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("to", out _));
        Assert.True((await unknownTray.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("tray", out _));
        Assert.Contains("shoeSize", (await unknownColumn.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").ToString());
        Assert.Contains("colour", (await unknownFilter.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").ToString());
        await badFormat.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Request_WhenCallerIsAViewer_Returns403()
    {
        var viewer = await api.SignInAsync("viewer@demo.test");

        var response = await viewer.RequestAsync(new { tray = "clients", from = ExportTestSupport.DemoToday, to = ExportTestSupport.DemoToday, format = "csv" });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Export_OfAnotherTenant_IsInvisibleWithItsFile()
    {
        var demo = await api.SignInAsync("agent@demo.test");
        var today = ExportTestSupport.DemoToday;
        var accepted = await (await demo.RequestAsync(new { tray = "clients", from = today.AddDays(-1), to = today, format = "csv", columns = new[] { "name" } }))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        var export = await demo.WaitForExportAsync(accepted.GetProperty("exportId").GetGuid());
        var acme = await api.SignInAsync("admin@acme.test", "acme");

        await (await acme.GetAsync($"/api/v1/exports/{export.GetProperty("id").GetGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.GetAsync(export.GetProperty("fileUrl").GetString())).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var acmeList = await (await acme.GetAsync("/api/v1/exports")).ReadJsonAsync();
        Assert.DoesNotContain(acmeList.GetProperty("items").EnumerateArray(), e => e.GetProperty("id").GetGuid() == export.GetProperty("id").GetGuid());
        var csv = Encoding.UTF8.GetString(await demo.DownloadAsync(export, "text/csv"));
        Assert.DoesNotContain("acme", csv, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Request_WhenRetriedWithTheSameIdempotencyKey_ReturnsTheSameExport()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var today = ExportTestSupport.DemoToday;
        var body = new { tray = "payment-orders", from = today.AddDays(-5), to = today, format = "xlsx" };

        async Task<HttpResponseMessage> SendAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/exports") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", "export-retry-1");
            return await seller.SendAsync(request);
        }

        var first = await (await SendAsync()).ReadJsonAsync(HttpStatusCode.Accepted);
        var second = await (await SendAsync()).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal(first.GetProperty("exportId").GetGuid(), second.GetProperty("exportId").GetGuid());
        await seller.WaitForExportAsync(first.GetProperty("exportId").GetGuid());
    }

    private Task<int> InsertClientAsync(string name, string email) =>
        api.WithDbAsync(async db =>
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO receivables.clients (id, tenant_id, document_type, document_number, name, email, tags, created_at) SELECT gen_random_uuid(), id, 'CC', 'X' || floor(random()*1e9)::text, @name, @email, '{}', now() FROM identity.tenants WHERE slug = 'demo'",
                db);
            command.Parameters.AddWithValue("name", name);
            command.Parameters.AddWithValue("email", email);
            return await command.ExecuteNonQueryAsync();
        });

    private Task<long> CountClientsCreatedSinceAsync(DateOnly from) =>
        api.WithDbAsync(async db =>
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM receivables.clients c JOIN identity.tenants t ON t.id = c.tenant_id AND t.slug = 'demo' WHERE c.created_at >= (@from::timestamp AT TIME ZONE 'America/Bogota')",
                db);
            command.Parameters.AddWithValue("from", from.ToDateTime(TimeOnly.MinValue));
            return (long)(await command.ExecuteScalarAsync())!;
        });
}
