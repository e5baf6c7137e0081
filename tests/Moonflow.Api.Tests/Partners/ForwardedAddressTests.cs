using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Partners;

/// <summary>
/// The sign-in throttle's address is the client's as forwarded by a configured proxy (<c>ForwardedHeaders:KnownProxies</c>),
/// and the connection's when anyone else sends <c>X-Forwarded-For</c>.
/// </summary>
public sealed class ForwardedAddressTests(ForwardedAddressTests.ProxyFactory api) : IClassFixture<ForwardedAddressTests.ProxyFactory>
{
    private const string Proxy = "10.0.0.5";

    [Fact]
    public async Task SignInThrottle_BehindTheConfiguredProxy_CountsEachForwardedClientOnItsOwn()
    {
        for (var i = 0; i < 20; i++)
        {
            await (await SignInAsync(Proxy, "203.0.113.50", $"nobody{i}@demo.test", "guess")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        }

        var sameClient = await SignInAsync(Proxy, "203.0.113.50", "seller@demo.test", MoonflowApiFactory.Password);
        var otherClient = await SignInAsync(Proxy, "203.0.113.51", "seller@demo.test", MoonflowApiFactory.Password);

        await sameClient.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode); // the proxy's own address was never counted
    }

    [Fact]
    public async Task SignInThrottle_WhenAnUnknownSenderForwardsAddresses_CountsTheConnectionsAddress()
    {
        for (var i = 0; i < 20; i++)
        {
            await (await SignInAsync("198.51.100.20", $"198.18.0.{i + 1}", $"nadie{i}@demo.test", "guess")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        }

        var withAFreshForwardedAddress = await SignInAsync("198.51.100.20", "198.18.0.200", "agent@demo.test", MoonflowApiFactory.Password);

        await withAFreshForwardedAddress.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    private Task<HttpResponseMessage> SignInAsync(string connection, string forwardedFor, string email, string password)
    {
        var client = api.ClientFrom(connection);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client.PostAsJsonAsync("/api/v1/auth/token", new { tenant = "demo", email, password });
    }

    public sealed class ProxyFactory : ThrottleFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ForwardedHeaders:KnownProxies:0", Proxy);
        }
    }
}
