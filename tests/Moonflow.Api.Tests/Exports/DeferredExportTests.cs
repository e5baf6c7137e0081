using System.Net;
using System.Net.Http.Json;
using Moonflow.Api.Tests.Support;
using OfficeOpenXml;

namespace Moonflow.Api.Tests.Exports;

/// <summary>The interactions tray: deferred only, once a day, one request at a time — a story told in order.</summary>
public sealed class DeferredExportTests(ExportsFactory api) : IClassFixture<ExportsFactory>
{
    [Fact]
    public async Task InteractionsDownload_IsDeferredOncePerDay_OneAtATime_AndRunByTheDeferredRun()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var admin = await api.SignInAsync("admin@demo.test");
        var today = ExportTestSupport.DemoToday;
        var body = new { tray = "interactions", from = today.AddDays(-30), to = today, format = "xlsx", columns = new[] { "clientName", "channel", "status", "sentAt" } };

        var preview = await (await seller.PostAsJsonAsync("/api/v1/exports/preview", new { body.tray, body.from, body.to })).ReadJsonAsync();
        Assert.Equal("deferred", preview.GetProperty("mode").GetString());
        Assert.Contains("deferred only", preview.GetProperty("reason").GetString());
        var scheduledFor = preview.GetProperty("scheduledFor").GetDateTimeOffset();
        var bogota = TimeZoneInfo.ConvertTime(scheduledFor, TimeZoneInfo.FindSystemTimeZoneById("America/Bogota"));
        Assert.Equal(new TimeSpan(2, 0, 0), bogota.TimeOfDay);
        Assert.InRange(scheduledFor - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromHours(24));

        // Asked in Spanish; the file is written at night by a run an English-speaking admin starts, headed in Spanish.
        var sellerInSpanish = await api.SignInAsync("seller@demo.test");
        sellerInSpanish.DefaultRequestHeaders.AcceptLanguage.Clear();
        sellerInSpanish.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es");
        var accepted = await (await sellerInSpanish.RequestAsync(body)).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("deferred", accepted.GetProperty("mode").GetString());
        var exportId = accepted.GetProperty("exportId").GetGuid();
        await api.TriggerAndWaitAsync("exports-nightly-window"); // it ran, and the window has not come
        var waiting = await (await seller.GetAsync($"/api/v1/exports/{exportId}")).ReadJsonAsync();
        Assert.Equal("pending", waiting.GetProperty("status").GetString());

        var second = await seller.RequestAsync(body);
        var inProgress = await second.AssertProblemAsync(HttpStatusCode.Conflict, "export_in_progress");
        Assert.Equal(exportId, inProgress.GetProperty("activeExportId").GetGuid());
        var previewNow = await seller.PostAsJsonAsync("/api/v1/exports/preview", new { body.tray, body.from, body.to });
        await previewNow.AssertProblemAsync(HttpStatusCode.Conflict, "export_in_progress");

        await (await seller.PostAsync("/api/v1/exports/deferred/run", null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var started = await (await admin.PostAsync("/api/v1/exports/deferred/run", null)).ReadJsonAsync();
        Assert.Contains(started.EnumerateArray(), id => id.GetGuid() == exportId);
        var export = await seller.WaitForExportAsync(exportId);
        Assert.Equal("completed", export.GetProperty("status").GetString());
        using (var workbook = new ExcelPackage(new MemoryStream(await seller.DownloadAsync(export, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))))
        {
            var sheet = workbook.Workbook.Worksheets["interactions"];
            Assert.Equal(export.GetProperty("rowCount").GetInt64() + 1, sheet.Dimension.End.Row);
            Assert.Equal("Fecha de envío real", sheet.Cells[1, 4].Text);
            Assert.IsType<double>(sheet.Cells[2, 4].Value);
        }

        var tomorrowAgain = await seller.RequestAsync(body);
        var quota = await tomorrowAgain.AssertProblemAsync((HttpStatusCode)429, "deferred_quota_exceeded");
        Assert.True(tomorrowAgain.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var nextAllowed = quota.GetProperty("nextAllowedAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.Zero, TimeZoneInfo.ConvertTime(nextAllowed, TimeZoneInfo.FindSystemTimeZoneById("America/Bogota")).TimeOfDay);
    }
}

/// <summary>Twenty simultaneous requests for one tray: the database serialises them and exactly one is accepted.</summary>
public sealed class ConcurrentExportTests(ExportsFactory api) : IClassFixture<ExportsFactory>
{
    [Fact]
    public async Task Request_WhenTwentyArriveAtOnceForOneTray_AcceptsExactlyOne()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var today = ExportTestSupport.DemoToday;
        var body = new { tray = "clients", from = today.AddDays(-90), to = today, format = "csv" }; // 91 days: deferred, so it stays pending

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => seller.RequestAsync(body)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var exports = await (await seller.GetAsync("/api/v1/exports?tray=clients")).ReadJsonAsync();
        Assert.Single(exports.GetProperty("items").EnumerateArray());
    }
}
