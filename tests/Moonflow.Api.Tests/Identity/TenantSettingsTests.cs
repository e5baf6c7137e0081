using System.Net;
using System.Net.Http.Json;
using Moonflow.Api.Tests.Exports;
using Moonflow.Api.Tests.Support;
using Npgsql;

namespace Moonflow.Api.Tests.Identity;

/// <summary>The tenant's own time zone and nightly window, set by an admin, decide when deferred downloads run.</summary>
public sealed class TenantSettingsTests(TenantSettingsTests.TenantSettingsFactory api) : IClassFixture<TenantSettingsTests.TenantSettingsFactory>
{
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    [Fact]
    public async Task UpdateTenantSettings_WhenAdminMovesZoneAndWindow_DrivesScheduledForOfNewAndPendingDeferredDownloads()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var seller = await api.SignInAsync("seller@demo.test");
        var before = await (await admin.GetAsync("/api/v1/tenant/settings")).ReadJsonAsync();
        Assert.Equal("America/Bogota", before.GetProperty("timeZone").GetString());
        Assert.Equal("02:00", before.GetProperty("nightlyWindow").GetString());
        var today = ExportTestSupport.DemoToday;
        var pending = await (await seller.RequestAsync(new { tray = "interactions", from = today.AddDays(-7), to = today, format = "csv" }))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(new TimeSpan(2, 0, 0), TimeZoneInfo.ConvertTime(pending.GetProperty("scheduledFor").GetDateTimeOffset(), Bogota).TimeOfDay);

        var response = await admin.PutAsJsonAsync("/api/v1/tenant/settings", new { timeZone = "Asia/Tokyo", nightlyWindow = "04:30" });

        var settings = await response.ReadJsonAsync();
        Assert.Equal("Asia/Tokyo", settings.GetProperty("timeZone").GetString());
        Assert.Equal("04:30", settings.GetProperty("nightlyWindow").GetString());
        var next = settings.GetProperty("nextNightlyWindow").GetDateTimeOffset();
        AssertNextTokyoHalfPastFour(next);
        Assert.Equal(settings.GetRawText(), (await (await admin.GetAsync("/api/v1/tenant/settings")).ReadJsonAsync()).GetRawText());

        // The download that was waiting for 02:00 in Bogota now waits for 04:30 in Tokyo, and so does its process.
        var moved = await (await seller.GetAsync($"/api/v1/exports/{pending.GetProperty("exportId").GetGuid()}")).ReadJsonAsync();
        Assert.Equal(next, moved.GetProperty("scheduledFor").GetDateTimeOffset());
        Assert.Equal(next, await ProcessScheduledForAsync(pending.GetProperty("processId").GetGuid()));

        // New requests are planned in the new window and the new zone's calendar.
        var preview = await (await seller.PostAsJsonAsync("/api/v1/exports/preview", new { tray = "clients", from = today.AddDays(-90), to = today }))
            .ReadJsonAsync();
        Assert.Equal("deferred", preview.GetProperty("mode").GetString());
        Assert.Equal(next, preview.GetProperty("scheduledFor").GetDateTimeOffset());
        var me = await (await seller.GetAsync("/api/v1/me")).ReadJsonAsync();
        Assert.Equal("Asia/Tokyo", me.GetProperty("tenant").GetProperty("timeZone").GetString());
    }

    [Fact]
    public async Task UpdateTenantSettings_WhenZoneIsUnknown_Returns400NamingItAndKeepsTheSettings()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var before = await (await admin.GetAsync("/api/v1/tenant/settings")).ReadJsonAsync();

        var response = await admin.PutAsJsonAsync("/api/v1/tenant/settings", new { timeZone = "Mars/Olympus_Mons", nightlyWindow = "03:00" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "unknown_time_zone");
        Assert.Contains("'Mars/Olympus_Mons'", problem.GetProperty("detail").GetString());
        Assert.Contains("IANA", problem.GetProperty("detail").GetString());
        var after = await (await admin.GetAsync("/api/v1/tenant/settings")).ReadJsonAsync();
        Assert.Equal(before.GetProperty("timeZone").GetString(), after.GetProperty("timeZone").GetString());
        Assert.Equal(before.GetProperty("nightlyWindow").GetString(), after.GetProperty("nightlyWindow").GetString());
    }

    [Theory]
    [InlineData("25:00")]
    [InlineData("2am")]
    [InlineData("02:00:30")]
    public async Task UpdateTenantSettings_WhenWindowIsNotHoursAndMinutes_Returns400ForTheField(string window)
    {
        var admin = await api.SignInAsync("admin@demo.test");

        var response = await admin.PutAsJsonAsync("/api/v1/tenant/settings", new { timeZone = "America/Bogota", nightlyWindow = window });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("HH:mm", problem.GetProperty("errors").GetProperty("nightlyWindow")[0].GetString());
    }

    [Fact]
    public async Task TenantSettings_WhenCallerIsNotAnAdmin_Returns403()
    {
        var seller = await api.SignInAsync("seller@demo.test");

        await (await seller.GetAsync("/api/v1/tenant/settings")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await seller.PutAsJsonAsync("/api/v1/tenant/settings", new { timeZone = "UTC", nightlyWindow = "01:00" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task UpdateTenantSettings_WhenAnotherTenantsAdminChangesTheirs_LeavesThisTenantAlone()
    {
        var acme = await api.SignInAsync("admin@acme.test", "acme");

        var settings = await (await acme.PutAsJsonAsync("/api/v1/tenant/settings", new { timeZone = "Europe/Madrid", nightlyWindow = "01:15" })).ReadJsonAsync();

        Assert.Equal("Europe/Madrid", settings.GetProperty("timeZone").GetString());
        var demo = await api.SignInAsync("admin@demo.test");
        var mine = await (await demo.GetAsync("/api/v1/tenant/settings")).ReadJsonAsync();
        Assert.NotEqual("Europe/Madrid", mine.GetProperty("timeZone").GetString());
    }

    private static readonly TimeZoneInfo Bogota = TimeZoneInfo.FindSystemTimeZoneById("America/Bogota");

    private static void AssertNextTokyoHalfPastFour(DateTimeOffset next)
    {
        Assert.Equal(new TimeSpan(4, 30, 0), TimeZoneInfo.ConvertTime(next, Tokyo).TimeOfDay);
        Assert.InRange(next - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromHours(24));
    }

    private Task<DateTimeOffset> ProcessScheduledForAsync(Guid processId) =>
        api.WithDbAsync(async db =>
        {
            await using var command = new NpgsqlCommand("SELECT scheduled_for FROM processes.bulk_processes WHERE id = @id", db);
            command.Parameters.AddWithValue("id", processId);
            return new DateTimeOffset((DateTime)(await command.ExecuteScalarAsync())!);
        });

    /// <summary>These tests change the demo tenant's calendar: they get a database of their own.</summary>
    public sealed class TenantSettingsFactory : MoonflowApiFactory;
}
