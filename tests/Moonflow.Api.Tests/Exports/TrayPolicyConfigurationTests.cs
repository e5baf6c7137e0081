using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Exports;

/// <summary>
/// Tray policies overridden in configuration (<c>Exports:Trays:{tray}:…</c>) change what the preview and the request
/// get; a tray whose settings are overridden only in part keeps its other defaults.
/// </summary>
public sealed class TrayPolicyConfigurationTests(TrayPolicyConfigurationTests.OverriddenPolicyFactory api) : IClassFixture<TrayPolicyConfigurationTests.OverriddenPolicyFactory>
{
    [Fact]
    public async Task PreviewAndRequest_WhenOnlineMaxRowsIsLoweredInConfiguration_AreDeferredAboveIt()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var today = ExportTestSupport.DemoToday;
        var body = new { tray = "clients", from = today.AddDays(-10), to = today, format = "csv" };

        var preview = await (await seller.PostAsJsonAsync("/api/v1/exports/preview", new { body.tray, body.from, body.to })).ReadJsonAsync();
        var accepted = await (await seller.RequestAsync(body)).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.True(preview.GetProperty("estimatedRows").GetInt64() > 10); // the demo tenant's 300 clients
        Assert.Equal("deferred", preview.GetProperty("mode").GetString());
        Assert.Contains("online downloads hold at most 10", preview.GetProperty("reason").GetString());
        Assert.Equal("deferred", accepted.GetProperty("mode").GetString());
        Assert.Equal(preview.GetProperty("scheduledFor").GetDateTimeOffset(), accepted.GetProperty("scheduledFor").GetDateTimeOffset());
        var trays = (await (await seller.GetAsync("/api/v1/exports/trays")).ReadJsonAsync()).EnumerateArray().ToList();
        Assert.Equal(10, trays.Single(t => t.GetProperty("tray").GetString() == "clients").GetProperty("onlineMaxRows").GetInt64());
        Assert.Equal(50_000, trays.Single(t => t.GetProperty("tray").GetString() == "payment-orders").GetProperty("onlineMaxRows").GetInt64());
    }

    [Fact]
    public async Task Preview_WhenOnlyTheDeferredRangeOfADeferredOnlyTrayIsOverridden_KeepsItDeferredOnlyWithTheNewRange()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var today = ExportTestSupport.DemoToday;

        var within = await (await seller.PostAsJsonAsync("/api/v1/exports/preview", new { tray = "interactions", from = today.AddDays(-29), to = today }))
            .ReadJsonAsync();
        var beyond = await seller.PostAsJsonAsync("/api/v1/exports/preview", new { tray = "interactions", from = today.AddDays(-30), to = today });

        Assert.Equal("deferred", within.GetProperty("mode").GetString());
        Assert.Contains("deferred only", within.GetProperty("reason").GetString());
        var problem = await beyond.AssertProblemAsync(HttpStatusCode.BadRequest, "range_too_long");
        Assert.Contains("at most 30 days", problem.GetProperty("detail").GetString());
    }

    public sealed class OverriddenPolicyFactory : MoonflowApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Exports:Trays:clients:OnlineMaxRows", "10");
            builder.UseSetting("Exports:Trays:interactions:DeferredMaxDays", "30");
        }
    }
}
