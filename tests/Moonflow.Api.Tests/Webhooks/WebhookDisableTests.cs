using System.Net;
using System.Text.Json;
using MediatR;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using System.Net.Http.Json;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Webhooks;
using Moonflow.Application.Webhooks.SweepWebhookOutbox;

namespace Moonflow.Api.Tests.Webhooks;

/// <summary>The API's clock is a <see cref="FakeTimeProvider"/>: days pass between two attempts of a failing endpoint.</summary>
public sealed class WebhookDisableTests(WebhookDisableTests.MovedClockFactory api) : IClassFixture<WebhookDisableTests.MovedClockFactory>
{
    [Fact]
    public async Task Delivery_WhenEndpointFailsForThreeDays_DisablesItAndNotifiesTheAdmins()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AnswerOtherwise(WebhookReceiver.Status(503, "mantenimiento"));
        var admin = await api.AdminAsync();
        var (id, _) = await admin.RegisterAsync(receiver.Url, "process.finished");
        var tag = TestClients.UniqueTag("down");
        await TestClients.InsertAsync(api, "demo", 2, tag);

        await admin.StartAsync("/api/v1/clients/bulk/tags", new { filter = new { tag }, add = new[] { "x" } });
        await receiver.NextAsync();
        await admin.WaitForDeliveryAsync(id, d => d.GetProperty("attempt").GetInt32() == 1);
        Assert.True((await (await admin.GetAsync($"/api/v1/webhooks/{id}")).ReadJsonAsync()).GetProperty("enabled").GetBoolean());
        api.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        await receiver.NextAsync();
        var delivery = await admin.WaitForDeliveryAsync(id, d => d.GetProperty("status").GetString() == "failed");

        Assert.Equal(2, delivery.GetProperty("attempt").GetInt32());
        Assert.Equal(503, delivery.GetProperty("statusCode").GetInt32());
        var webhook = await (await admin.GetAsync($"/api/v1/webhooks/{id}")).ReadJsonAsync();
        Assert.False(webhook.GetProperty("enabled").GetBoolean());
        Assert.Contains("Every delivery failed", webhook.GetProperty("disabledReason").GetString());
        var bell = await (await admin.GetAsync("/api/v1/notifications?unreadOnly=true")).ReadJsonAsync();
        Assert.Contains(bell.GetProperty("items").EnumerateArray(), n => n.GetProperty("title").GetString() == "Webhook disabled" && n.GetProperty("message").GetString()!.Contains(receiver.Url));
        Assert.False(await receiver.ReceivesAnyWithinAsync(TimeSpan.FromMilliseconds(500)), "a disabled endpoint is not attempted again");

        var enabled = await (await admin.PatchAsJsonAsync($"/api/v1/webhooks/{id}", new { enabled = true })).ReadJsonAsync();
        Assert.True(enabled.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, enabled.GetProperty("failingSince").ValueKind);
    }

    [Fact]
    public async Task Sweep_WhenADeliveryLostItsJob_EnqueuesItAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await api.AdminAsync();
        var (id, _) = await admin.RegisterAsync(receiver.Url, "process.finished");

        api.DropDispatches = true;
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/v1/webhooks/{id}/test", null)).StatusCode);
        api.DropDispatches = false;
        Assert.False(await receiver.ReceivesAnyWithinAsync(TimeSpan.FromMilliseconds(500)), "the enqueue after commit was lost");
        await using (var scope = api.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<UserContext>().ActAsPlatform();
            // The recurring sweep may get there first on a slow machine; either way it is the sweep that delivers it.
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SweepWebhookOutboxCommand());
        }

        var ping = await receiver.NextAsync();
        Assert.Equal("ping", ping.Type);
        await admin.WaitForDeliveryAsync(id, d => d.GetProperty("status").GetString() == "succeeded");
    }

    public sealed class MovedClockFactory : MoonflowApiFactory
    {
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

        /// <summary>While set, deliveries are written but never handed to the job engine (an enqueue lost after the commit).</summary>
        public volatile bool DropDispatches;

        private HttpClient? _admin;

        /// <summary>Signed in once, before any test moves the clock (a token issued in the moved future is not valid yet).</summary>
        public async Task<HttpClient> AdminAsync() => _admin ??= await SignInAsync("admin@demo.test");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Webhooks:RetrySchedule", "00:00:01,00:00:01");
            builder.UseSetting("Webhooks:Jitter", "0");

            // Due is due: the sweep takes any delivery nobody is attempting, so the test need not wait for a grace period.
            builder.UseSetting("Webhooks:SweepGrace", "00:00:00");
            builder.UseSetting("Processes:DispatchGrace", "30.00:00:00");
            builder.UseSetting("Auth:TokenLifetime", "30.00:00:00");
        }

        protected override void ConfigureTestServices(IServiceCollection services)
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.Decorate<IWebhookDispatcher>((inner, _) => new DroppingDispatcher(inner, this));
        }

        private sealed class DroppingDispatcher(IWebhookDispatcher inner, MovedClockFactory factory) : IWebhookDispatcher
        {
            public void Dispatch(Guid tenantId, Guid deliveryId, TimeSpan delay)
            {
                if (!factory.DropDispatches)
                {
                    inner.Dispatch(tenantId, deliveryId, delay);
                }
            }
        }
    }
}
