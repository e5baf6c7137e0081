using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Support;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Moonflow.Api.Tests.Webhooks;

/// <summary>Webhooks delivered by the real API and Hangfire to a real receiver over HTTP, signed as Standard Webhooks.</summary>
public sealed class WebhookDeliveryTests(WebhookDeliveryTests.FastRetriesFactory api) : IClassFixture<WebhookDeliveryTests.FastRetriesFactory>
{
    [Fact]
    public async Task RegisterWebhook_WhenAdminAsks_ShowsTheSecretOnceAndNeverAgain()
    {
        var admin = await api.SignInAsync("admin@demo.test");

        var response = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/hooks", events = new[] { "process.finished", "backup.ready" } });

        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("webhook").GetProperty("id").GetGuid();
        Assert.StartsWith("whsec_", created.GetProperty("secret").GetString());
        Assert.Equal(32, Convert.FromBase64String(created.GetProperty("secret").GetString()!["whsec_".Length..]).Length);
        Assert.EndsWith($"/api/v1/webhooks/{id}", response.Headers.Location?.ToString());
        var detail = await (await admin.GetAsync($"/api/v1/webhooks/{id}")).ReadJsonAsync();
        var list = await (await admin.GetAsync("/api/v1/webhooks")).ReadJsonAsync();
        Assert.False(detail.TryGetProperty("secret", out _), "the detail must never carry the secret");
        Assert.DoesNotContain("whsec_", list.ToString());
        Assert.Equal(["process.finished", "backup.ready"], detail.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.True(detail.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task RegisterWebhook_WhenEventIsUnknownOrCallerIsNoAdmin_IsRefused()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var seller = await api.SignInAsync("seller@demo.test");

        var unknown = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/hooks", events = new[] { "process.finsihed" } });
        var notAnUrl = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "ftp://partner/hooks", events = new[] { "process.finished" } });
        var bySeller = await seller.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/hooks", events = new[] { "process.finished" } });

        var problem = await unknown.AssertProblemAsync(HttpStatusCode.BadRequest, "unknown_webhook_event");
        Assert.Contains("process.finsihed", problem.GetProperty("detail").GetString());
        await notAnUrl.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await bySeller.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task TestWebhook_WhenSent_ArrivesSignedSoTheStandardWebhooksLibraryVerifiesIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await api.SignInAsync("admin@demo.test");
        var (id, secret) = await admin.RegisterAsync(receiver.Url, "process.finished");

        var accepted = await admin.PostAsync($"/api/v1/webhooks/{id}/test", null);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var ping = await receiver.NextAsync();
        new StandardWebhook(secret).Verify(ping.Body, ping.Headers); // throws if the signature does not verify
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(Moonflow.Application.Webhooks.WebhookSecret.Generate()).Verify(ping.Body, ping.Headers));
        Assert.Equal("ping", ping.Type);
        Assert.StartsWith("msg_", ping.Id);
        Assert.Single(ping.Signatures);
        Assert.StartsWith("v1,", ping.Signatures[0]);
        Assert.True(ping.Json.TryGetProperty("timestamp", out _));
        Assert.Equal(id, ping.Json.GetProperty("data").GetProperty("webhookId").GetGuid());
        var delivery = await admin.WaitForDeliveryAsync(id, d => d.GetProperty("status").GetString() == "succeeded");
        Assert.Equal(ping.Id, delivery.GetProperty("messageId").GetString());
        Assert.Equal(200, delivery.GetProperty("statusCode").GetInt32());
        Assert.Equal("ok", delivery.GetProperty("responseExcerpt").GetString());
    }

    [Fact]
    public async Task Delivery_WhenReceiverAnswers500TwiceThen200_SucceedsOnTheThirdAttemptWithOneWebhookId()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AnswerNext(WebhookReceiver.Status(500, "boom 1"), WebhookReceiver.Status(500, "boom 2"));
        var admin = await api.SignInAsync("admin@demo.test");
        var (id, secret) = await admin.RegisterAsync(receiver.Url, "process.finished");

        await admin.PostAsync($"/api/v1/webhooks/{id}/test", null);
        var attempts = new[] { await receiver.NextAsync(), await receiver.NextAsync(), await receiver.NextAsync() };

        Assert.Single(attempts.Select(a => a.Id).Distinct());
        Assert.Single(attempts.Select(a => a.Body).Distinct());
        Assert.All(attempts, a => new StandardWebhook(secret).Verify(a.Body, a.Headers));
        var delivery = await admin.WaitForDeliveryAsync(id, d => d.GetProperty("status").GetString() == "succeeded");
        Assert.Equal(3, delivery.GetProperty("attempt").GetInt32());
        Assert.Equal(200, delivery.GetProperty("statusCode").GetInt32());
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("nextAttemptAt").ValueKind);
        Assert.False(await receiver.ReceivesAnyWithinAsync(TimeSpan.FromMilliseconds(800)), "a delivered message is not sent again");
    }

    [Fact]
    public async Task Delivery_WhenReceiverNeverAnswers_TimesOutEachAttemptAndGivesUpAfterTheSchedule()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AnswerOtherwise(WebhookReceiver.Hang);
        var admin = await api.SignInAsync("admin@demo.test");
        var (id, _) = await admin.RegisterAsync(receiver.Url, "process.finished");

        await admin.PostAsync($"/api/v1/webhooks/{id}/test", null);
        var first = await receiver.NextAsync();
        var pending = await admin.WaitForDeliveryAsync(id, d => d.GetProperty("attempt").GetInt32() >= 1);
        var failed = await admin.WaitForDeliveryAsync(id, d => d.GetProperty("status").GetString() == "failed");

        Assert.Equal(JsonValueKind.Null, pending.GetProperty("statusCode").ValueKind);
        Assert.Contains("No answer within 1 s", pending.GetProperty("error").GetString());
        Assert.InRange(pending.GetProperty("durationMs").GetInt32(), 900, 5000);
        Assert.Equal(3, failed.GetProperty("attempt").GetInt32());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("nextAttemptAt").ValueKind);
        Assert.Equal(first.Id, failed.GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task RotateSecret_WhenRotated_EveryMessageCarriesBothSignaturesAndEachSecretVerifies()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await api.SignInAsync("admin@demo.test");
        var (id, oldSecret) = await admin.RegisterAsync(receiver.Url, "process.finished");

        var rotated = await (await admin.PostAsync($"/api/v1/webhooks/{id}/rotate-secret", null)).ReadJsonAsync();
        var newSecret = rotated.GetProperty("secret").GetString()!;
        await admin.PostAsync($"/api/v1/webhooks/{id}/test", null);
        var ping = await receiver.NextAsync();

        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(2, ping.Signatures.Length);
        Assert.All(ping.Signatures, s => Assert.StartsWith("v1,", s));
        // StandardWebhooks 1.1.2's Verify compares only the first of several signatures (it takes the whole header for the
        // last one), so each signature is handed to it on its own: the new secret signs the first, the old one the second.
        new StandardWebhook(newSecret).Verify(ping.Body, WithSignature(ping, ping.Signatures[0]));
        new StandardWebhook(oldSecret).Verify(ping.Body, WithSignature(ping, ping.Signatures[1]));
        new StandardWebhook(newSecret).Verify(ping.Body, ping.Headers);

        // Each signature is its own secret's: neither verifies with the other one.
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(oldSecret).Verify(ping.Body, WithSignature(ping, ping.Signatures[0])));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(newSecret).Verify(ping.Body, WithSignature(ping, ping.Signatures[1])));
        var expires = rotated.GetProperty("webhook").GetProperty("previousSecretExpiresAt").GetDateTimeOffset();
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));
    }

    [Fact]
    public async Task ProcessFinished_WhenABulkActionEnds_ReachesTheReceiverWithTheProcessAsTheApiShowsIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await api.SignInAsync("admin@demo.test");
        var (id, secret) = await admin.RegisterAsync(receiver.Url, "process.finished", "import.finished");
        var tag = TestClients.UniqueTag("hook");
        await TestClients.InsertAsync(api, "demo", 30, tag);

        var processId = await admin.StartAsync("/api/v1/clients/bulk/tags", new { filter = new { tag }, add = new[] { "webhook" } });
        var finished = await receiver.NextAsync();
        var process = await admin.WaitForProcessAsync(processId);

        new StandardWebhook(secret).Verify(finished.Body, finished.Headers);
        Assert.Equal("process.finished", finished.Type);
        var data = finished.Json.GetProperty("data");
        Assert.Equal(processId, data.GetProperty("id").GetGuid());
        Assert.Equal("completed", data.GetProperty("status").GetString());
        Assert.Equal("clients_bulk_tag", data.GetProperty("type").GetString());
        Assert.Equal(30, data.GetProperty("succeeded").GetInt64());
        Assert.Equal(
            process.EnumerateObject().Select(p => p.Name).Order(),
            data.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(process.GetProperty("finishedAt").GetDateTimeOffset(), data.GetProperty("finishedAt").GetDateTimeOffset());
        Assert.False(await receiver.ReceivesAnyWithinAsync(TimeSpan.FromMilliseconds(500)), "a bulk tag is no import: only process.finished");
    }

    [Fact]
    public async Task ImportFinished_WhenAnUploadEnds_ArrivesBesideProcessFinishedAsTwoMessages()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await api.SignInAsync("admin@demo.test");
        var (_, secret) = await admin.RegisterAsync(receiver.Url, "process.finished", "import.finished", "export.ready");
        var (_, document) = await Uploads.Uploads.NewClientAsync(api);

        var accepted = await (await Uploads.Uploads.PostAsync(admin, Uploads.Uploads.Form(Uploads.Uploads.Csv(document, 3, new DateTime(2026, 3, 2, 9, 0, 0), badChannel: i => i == 2))))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        var received = new[] { await receiver.NextAsync(), await receiver.NextAsync() };

        var processId = accepted.GetProperty("processId").GetGuid();
        Assert.Equal(["import.finished", "process.finished"], received.Select(r => r.Type).Order());
        Assert.All(received, r => new StandardWebhook(secret).Verify(r.Body, r.Headers)); // the receiver's own check
        Assert.NotEqual(received[0].Id, received[1].Id);
        Assert.All(received, r => Assert.Equal(processId, r.Json.GetProperty("data").GetProperty("id").GetGuid()));
        var data = received[0].Json.GetProperty("data");
        Assert.Equal("completed_with_errors", data.GetProperty("status").GetString());
        Assert.Equal(2, data.GetProperty("succeeded").GetInt64());
        Assert.Equal(1, data.GetProperty("failed").GetInt64());
        Assert.Contains(data.GetProperty("files").EnumerateArray(), f => f.GetProperty("kind").GetString() == "error_report");
    }

    [Fact]
    public async Task ExportReady_WhenAnOnlineDownloadCompletes_CarriesTheResultFile()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await api.SignInAsync("admin@demo.test");
        var (_, secret) = await admin.RegisterAsync(receiver.Url, "export.ready");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var accepted = await (await admin.PostAsJsonAsync("/api/v1/exports", new { tray = "clients", from = today.AddDays(-3), to = today, format = "csv" }))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        var ready = await receiver.NextAsync();

        Assert.Equal("export.ready", ready.Type);
        new StandardWebhook(secret).Verify(ready.Body, ready.Headers);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(Moonflow.Application.Webhooks.WebhookSecret.Generate()).Verify(ready.Body, ready.Headers));
        var data = ready.Json.GetProperty("data");
        Assert.Equal(accepted.GetProperty("processId").GetGuid(), data.GetProperty("id").GetGuid());
        Assert.Equal("completed", data.GetProperty("status").GetString());
        var file = data.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "result");
        var download = await admin.GetAsync($"/api/v1/processes/{data.GetProperty("id").GetGuid()}/files/{file.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.False(await receiver.ReceivesAnyWithinAsync(TimeSpan.FromMilliseconds(300)), "only export.ready was subscribed to");
    }

    [Fact]
    public async Task Redeliver_WhenDeliveryFinished_SendsTheSameMessageIdAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await api.SignInAsync("admin@demo.test");
        var (id, _) = await admin.RegisterAsync(receiver.Url, "process.finished");
        await admin.PostAsync($"/api/v1/webhooks/{id}/test", null);
        var first = await receiver.NextAsync();
        var delivery = await admin.WaitForDeliveryAsync(id, d => d.GetProperty("status").GetString() == "succeeded");

        var redeliver = await admin.PostAsync($"/api/v1/webhooks/{id}/deliveries/{delivery.GetProperty("id").GetGuid()}/redeliver", null);
        var again = await receiver.NextAsync();

        Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Body, again.Body);
    }

    [Fact]
    public async Task Webhooks_OfAnotherTenant_AreInvisibleAndUntouchable()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var demo = await api.SignInAsync("admin@demo.test");
        var acme = await api.SignInAsync("admin@acme.test", "acme");
        var (id, _) = await demo.RegisterAsync(receiver.Url, "process.finished");
        await demo.PostAsync($"/api/v1/webhooks/{id}/test", null);
        await receiver.NextAsync();
        var delivery = await demo.WaitForDeliveryAsync(id, d => d.GetProperty("status").GetString() == "succeeded");

        var list = await (await acme.GetAsync("/api/v1/webhooks")).ReadJsonAsync();
        Assert.DoesNotContain(list.EnumerateArray(), w => w.GetProperty("id").GetGuid() == id);
        await (await acme.GetAsync($"/api/v1/webhooks/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.GetAsync($"/api/v1/webhooks/{id}/deliveries")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.PatchAsJsonAsync($"/api/v1/webhooks/{id}", new { enabled = false })).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.PostAsync($"/api/v1/webhooks/{id}/rotate-secret", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.PostAsync($"/api/v1/webhooks/{id}/test", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.PostAsync($"/api/v1/webhooks/{id}/deliveries/{delivery.GetProperty("id").GetGuid()}/redeliver", null))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.DeleteAsync($"/api/v1/webhooks/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.True((await (await demo.GetAsync($"/api/v1/webhooks/{id}")).ReadJsonAsync()).GetProperty("enabled").GetBoolean());
        Assert.False(await receiver.ReceivesAnyWithinAsync(TimeSpan.FromMilliseconds(300)), "another tenant's test ping must not be sent");
    }

    [Fact]
    public async Task UpdateWebhook_WhenDisabled_GetsNoEventsAndDeleteRemovesIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await api.SignInAsync("admin@demo.test");
        var (id, _) = await admin.RegisterAsync(receiver.Url, "process.finished");

        var changed = await (await admin.PatchAsJsonAsync($"/api/v1/webhooks/{id}", new { enabled = false, events = new[] { "process.finished", "export.ready" } })).ReadJsonAsync();
        var tag = TestClients.UniqueTag("off");
        await TestClients.InsertAsync(api, "demo", 3, tag);
        var processId = await admin.StartAsync("/api/v1/clients/bulk/tags", new { filter = new { tag }, add = new[] { "x" } });
        await admin.WaitForProcessAsync(processId);

        Assert.False(changed.GetProperty("enabled").GetBoolean());
        Assert.Equal(2, changed.GetProperty("events").GetArrayLength());
        Assert.False(await receiver.ReceivesAnyWithinAsync(TimeSpan.FromMilliseconds(500)), "a disabled endpoint gets no events");
        Assert.Empty(await admin.DeliveriesAsync(id));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode);
        await (await admin.GetAsync($"/api/v1/webhooks/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    private static Microsoft.AspNetCore.Http.HeaderDictionary WithSignature(ReceivedWebhook webhook, string signature)
    {
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary();
        foreach (var (name, value) in webhook.Headers)
        {
            headers[name] = value;
        }

        headers["webhook-signature"] = signature;
        return headers;
    }

    [Fact]
    public async Task Delivery_WhileEveryProcessWorkerIsBusy_StillArrives_OnTheWebhooksQueuesOwnWorkers()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await api.SignInAsync("admin@demo.test");
        var (id, secret) = await admin.RegisterAsync(receiver.Url, "process.finished");
        var jobs = api.Services.GetRequiredService<Hangfire.IBackgroundJobClient>();
        var workers = api.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>().GetValue<int>("Jobs:WorkerCount");
        BusyWorker.Reset(workers);
        try
        {
            // Every worker of the processes/default queues held, as by long backups or imports.
            for (var i = 0; i < workers; i++)
            {
                jobs.Enqueue("processes", () => BusyWorker.Hold());
            }

            Assert.True(BusyWorker.AllStarted.Wait(TimeSpan.FromSeconds(30)), "the process workers never all started");

            await admin.PostAsync($"/api/v1/webhooks/{id}/test", null);
            var ping = await receiver.NextAsync(TimeSpan.FromSeconds(15));

            new StandardWebhook(secret).Verify(ping.Body, ping.Headers);
            Assert.False(BusyWorker.Released.IsSet, "the ping arrived while every process worker was still held");
        }
        finally
        {
            BusyWorker.Released.Set();
        }
    }

    /// <summary>A job that holds its worker until the test lets it go.</summary>
    public static class BusyWorker
    {
        public static CountdownEvent AllStarted { get; private set; } = new(1);

        public static ManualResetEventSlim Released { get; } = new();

        public static void Reset(int workers)
        {
            AllStarted = new CountdownEvent(workers);
            Released.Reset();
        }

        public static void Hold()
        {
            AllStarted.Signal();
            Released.Wait(TimeSpan.FromMinutes(1));
        }
    }

    /// <summary>Three attempts a fraction of a second apart, a one-second timeout, no jitter: the schedule in miniature.</summary>
    public sealed class FastRetriesFactory : MoonflowApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Webhooks:RetrySchedule", "00:00:00.200,00:00:00.200");
            builder.UseSetting("Webhooks:Jitter", "0");
            builder.UseSetting("Webhooks:AttemptTimeout", "00:00:01");
        }
    }
}
