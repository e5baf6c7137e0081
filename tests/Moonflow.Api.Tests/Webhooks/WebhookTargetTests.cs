using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Webhooks;

/// <summary>Outside Development's defaults: endpoints must be https and resolve to public addresses (SSRF).</summary>
public sealed class WebhookTargetTests(WebhookTargetTests.ProductionTargetsFactory api) : IClassFixture<WebhookTargetTests.ProductionTargetsFactory>
{
    [Theory]
    [InlineData("http://partner.example.com/hooks", "https")]
    [InlineData("https://127.0.0.1/hooks", "private")]
    [InlineData("https://localhost:8443/hooks", "private")]
    [InlineData("https://10.1.2.3/hooks", "private")]
    [InlineData("https://192.168.0.10/hooks", "private")]
    [InlineData("https://169.254.169.254/latest/meta-data", "private")]
    [InlineData("https://[::1]/hooks", "private")]
    [InlineData("https://[fd00:ec2::254]/hooks", "private")]
    [InlineData("https://[::ffff:10.0.0.1]/hooks", "private")]
    public async Task RegisterWebhook_WhenTargetIsNotHttpsOrNotPublic_Returns400WebhookTargetRefused(string url, string reason)
    {
        var admin = await api.SignInAsync("admin@demo.test");

        var response = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url, events = new[] { "process.finished" } });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "webhook_target_refused");
        Assert.Contains(reason, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task UpdateWebhook_WhenUrlMovesToAPrivateAddress_Returns400AndKeepsTheOldUrl()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var (id, _) = await admin.RegisterAsync("https://93.184.215.14/hooks", "process.finished");

        var response = await admin.PatchAsJsonAsync($"/api/v1/webhooks/{id}", new { url = "https://172.16.0.1/hooks" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "webhook_target_refused");
        var webhook = await (await admin.GetAsync($"/api/v1/webhooks/{id}")).ReadJsonAsync();
        Assert.Equal("https://93.184.215.14/hooks", webhook.GetProperty("url").GetString());
    }

    public sealed class ProductionTargetsFactory : MoonflowApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Webhooks:RequireHttps", "true");
            builder.UseSetting("Webhooks:AllowPrivateTargets", "false");
        }
    }
}
