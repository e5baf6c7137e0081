using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Partners;

/// <summary>Sign-in throttling with the default figures: 5 failures per account, 20 per address, within 15 minutes.</summary>
public sealed class SignInThrottleTests(ThrottleFactory api) : IClassFixture<ThrottleFactory>
{
    [Fact]
    public async Task IssueToken_After5WrongPasswords_Answers429EvenForTheRightOneUntilTheLockPasses()
    {
        var client = api.ClientFrom("203.0.113.10");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            answers.Add((await SignInAsync(client, "viewer@demo.test", "wrong-password")).StatusCode);
        }

        var right = await SignInAsync(client, "viewer@demo.test", MoonflowApiFactory.Password);

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), answers.Take(5));
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 35), answers.Skip(5));
        var problem = await right.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal("60", right.Headers.GetValues("Retry-After").Single());
        Assert.Equal(60, problem.GetProperty("retryAfterSeconds").GetInt32());
        api.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(client, "viewer@demo.test", MoonflowApiFactory.Password)).StatusCode);
    }

    [Fact]
    public async Task IssueToken_WhenFailingAgainAfterALock_LocksForLongerEachTime()
    {
        var client = api.ClientFrom("203.0.113.11");
        for (var i = 0; i < 5; i++)
        {
            await SignInAsync(client, "admin@acme.test", "wrong-password", "acme");
        }

        var first = await SignInAsync(client, "admin@acme.test", "wrong-password", "acme");
        api.Clock.Advance(TimeSpan.FromSeconds(60));
        var afterFirstLock = await SignInAsync(client, "admin@acme.test", "wrong-password", "acme");
        var second = await SignInAsync(client, "admin@acme.test", "wrong-password", "acme");

        await first.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal("60", first.Headers.GetValues("Retry-After").Single());
        await afterFirstLock.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        await second.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal("120", second.Headers.GetValues("Retry-After").Single());
        api.Clock.Advance(TimeSpan.FromSeconds(120));
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(client, "admin@acme.test", MoonflowApiFactory.Password, "acme")).StatusCode);
    }

    [Fact]
    public async Task IssueToken_WhenTheRightPasswordComesBeforeTheFifthFailure_StartsTheCountAgain()
    {
        var client = api.ClientFrom("203.0.113.12");
        for (var i = 0; i < 4; i++)
        {
            await (await SignInAsync(client, "agent@demo.test", "wrong-password")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        }

        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(client, "agent@demo.test", MoonflowApiFactory.Password)).StatusCode);

        for (var i = 0; i < 5; i++)
        {
            await (await SignInAsync(client, "agent@demo.test", "wrong-password")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        }

        await (await SignInAsync(client, "agent@demo.test", MoonflowApiFactory.Password)).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task IssueToken_After20FailuresFromOneAddress_RefusesEveryAccountFromItButNotFromOthers()
    {
        var attacker = api.ClientFrom("198.51.100.7");
        var elsewhere = api.ClientFrom("198.51.100.8");
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            answers.Add((await SignInAsync(attacker, $"nobody{i}@demo.test", "guess")).StatusCode);
        }

        var fromAttacker = await SignInAsync(attacker, "seller@demo.test", MoonflowApiFactory.Password);
        var fromElsewhere = await SignInAsync(elsewhere, "seller@demo.test", MoonflowApiFactory.Password);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a));
        await fromAttacker.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(fromAttacker.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, fromElsewhere.StatusCode);
    }

    [Fact]
    public async Task IssueToken_WhenOneAccountFailsFromManyAddresses_IsLockedWhateverTheAddress()
    {
        for (var i = 0; i < 5; i++)
        {
            await SignInAsync(api.ClientFrom($"192.0.2.{i + 1}"), "nadie@demo.test", "guess");
        }

        var fromNewAddress = await SignInAsync(api.ClientFrom("192.0.2.99"), "nadie@demo.test", "guess");

        await fromNewAddress.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task IssueToken_When30WrongAttemptsForOneAccountArriveAtOnce_Answers5UnauthorizedAnd25TooManyRequests()
    {
        var clients = Enumerable.Range(0, 30).Select(i => api.ClientFrom($"192.0.2.{100 + i}")).ToList();
        using var start = new SemaphoreSlim(0);

        var attempts = clients.Select(async client =>
        {
            await start.WaitAsync();
            return (await SignInAsync(client, "concurrent@demo.test", "wrong-password")).StatusCode;
        }).ToList();
        start.Release(attempts.Count);
        var answers = await Task.WhenAll(attempts);

        // Counted before the password is checked: only the first 5 get as far as the check.
        Assert.Equal(5, answers.Count(a => a == HttpStatusCode.Unauthorized));
        Assert.Equal(25, answers.Count(a => a == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task PurgeJob_ForgetsKeysOnceTheirWindowAndLockArePast_AndKeepsTheOthers()
    {
        var client = api.ClientFrom("203.0.113.77");
        await SignInAsync(client, "purge-old@demo.test", "wrong-password");
        api.Clock.Advance(TimeSpan.FromMinutes(16));
        await SignInAsync(api.ClientFrom("203.0.113.78"), "purge-new@demo.test", "wrong-password");

        var purged = await api.Services.GetRequiredService<Moonflow.Infrastructure.Identity.SignInThrottleJob>().PurgeAsync(CancellationToken.None);

        Assert.True(purged >= 2, $"purged {purged}"); // the old account and its address at least
        Assert.Equal(["account:demo/purge-new@demo.test"], await KeysLikeAsync("account:demo/purge-%"));
        Assert.Equal(["address:203.0.113.78"], await KeysLikeAsync("address:203.0.113.7_"));
    }

    private Task<List<string>> KeysLikeAsync(string pattern) => api.WithDbAsync(async db =>
    {
        await using var command = new Npgsql.NpgsqlCommand("SELECT key FROM identity.sign_in_throttles WHERE key LIKE @p ORDER BY key", db);
        command.Parameters.AddWithValue("p", pattern);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    });

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password, string tenant = "demo") =>
        client.PostAsJsonAsync("/api/v1/auth/token", new { tenant, email, password });
}
