using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Support;
using Moonflow.Infrastructure.RateLimiting;
using Xunit.Abstractions;

namespace Moonflow.Api.Tests.Partners;

/// <summary>Per-caller limits through the real pipeline: 5 requests and 2 work-starting POSTs a minute in this factory.</summary>
public sealed class RateLimitTests(ThrottleFactory api, ITestOutputHelper output) : IClassFixture<ThrottleFactory>
{
    [Fact]
    public async Task Requests_WhenTheFigureIsReached_Answer429RateLimitedWithRetryAfterUntilTheWindowPasses()
    {
        var viewer = await api.SignInAsync("viewer@demo.test");
        api.NextWindow();
        api.Clock.Advance(TimeSpan.FromSeconds(15));

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < ThrottleFactory.RequestsPerMinute + 1; i++)
        {
            answers.Add(await viewer.GetAsync("/api/v1/clients?limit=1"));
        }

        Assert.All(answers.Take(ThrottleFactory.RequestsPerMinute), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var refused = answers[^1];
        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal("45", refused.Headers.GetValues("Retry-After").Single());
        api.Clock.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/clients?limit=1")).StatusCode);
    }

    [Fact]
    public async Task ApiKeys_WhenOneReachesItsLimit_OtherKeysAndUsersAreNotAffected()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        api.NextWindow();
        var first = await KeyClientAsync(admin, "ERP");
        var second = await KeyClientAsync(admin, "CRM");

        for (var i = 0; i < ThrottleFactory.RequestsPerMinute; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/clients?limit=1")).StatusCode);
        }

        await (await first.GetAsync("/api/v1/clients?limit=1")).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/clients?limit=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/clients?limit=1")).StatusCode);
    }

    [Fact]
    public async Task WorkRequests_HaveTheirOwnSmallerLimitBesideTheReads()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        api.NextWindow();
        var body = new { clientIds = new[] { Guid.NewGuid() }, add = new[] { "x" } };

        var started = new[] { await seller.PostAsJsonAsync("/api/v1/clients/bulk/tags", body), await seller.PostAsJsonAsync("/api/v1/clients/bulk/tags", body) };
        var third = await seller.PostAsJsonAsync("/api/v1/clients/bulk/tags", body);
        var read = await seller.GetAsync("/api/v1/clients?limit=1");

        Assert.All(started, s => Assert.Equal(HttpStatusCode.Accepted, s.StatusCode));
        await third.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(third.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task Counters_WhenHitOneAfterAnother_CostAboutAMillisecondOrLessEach()
    {
        var counters = api.Services.GetRequiredService<RateLimitCounters>();
        var window = api.Clock.GetUtcNow();
        await counters.HitAsync("bench:warm-up", window, CancellationToken.None);
        const int hits = 2000;

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < hits; i++)
        {
            await counters.HitAsync($"bench:{i % 50}", window, CancellationToken.None);
        }

        watch.Stop();
        var perHit = watch.Elapsed.TotalMilliseconds / hits;
        output.WriteLine($"{hits} counter upserts in {watch.ElapsedMilliseconds} ms: {perHit:0.000} ms each");
        Assert.Equal((hits / 50) + 1, await counters.HitAsync("bench:0", window, CancellationToken.None));
        Assert.True(perHit < 5, $"A counter upsert took {perHit:0.000} ms on average");
    }

    private async Task<HttpClient> KeyClientAsync(HttpClient admin, string name)
    {
        var created = await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name, permissions = new[] { "clients.read" } })).ReadJsonAsync(HttpStatusCode.Created);
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", created.GetProperty("key").GetString());
        return client;
    }
}
