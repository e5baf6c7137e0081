using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Moonflow.Application.Webhooks;
using Moonflow.Infrastructure.Webhooks;

namespace Moonflow.Infrastructure.Tests.Webhooks;

/// <summary>The address is checked when the attempt connects, after DNS: a target that became private is never reached.</summary>
public sealed class WebhookSenderTests
{
    [Fact]
    public async Task SendAsync_WhenTargetResolvesToLoopbackAndPrivateTargetsAreNotAllowed_NeverConnects()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var sender = new WebhookSender(Options.Create(new WebhookOptions { AllowPrivateTargets = false, AttemptTimeout = TimeSpan.FromSeconds(2) }));

        var outcome = await sender.SendAsync(Message($"http://localhost:{port}/hooks"), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.StatusCode);
        Assert.StartsWith("Refused", outcome.Error);
        Assert.False(listener.Pending(), "no connection may reach a private address");
    }

    [Fact]
    public async Task SendAsync_WhenPrivateTargetsAreAllowed_ConnectsToTheSameListener()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var sender = new WebhookSender(Options.Create(new WebhookOptions { AllowPrivateTargets = true, AttemptTimeout = TimeSpan.FromSeconds(1) }));

        var sending = sender.SendAsync(Message($"http://127.0.0.1:{port}/hooks"), CancellationToken.None);
        using var accepted = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var outcome = await sending;

        Assert.True(accepted.Connected);
        Assert.Contains("No answer within 1 s", outcome.Error);
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("93.184.215.14", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("127.0.0.53", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00:ec2::254", false)]
    [InlineData("::ffff:192.168.1.1", false)]
    public void IsPublic_WhenAskedAboutAnAddress_RefusesLoopbackPrivateLinkLocalAndMetadata(string address, bool expected) =>
        Assert.Equal(expected, WebhookAddresses.IsPublic(IPAddress.Parse(address)));

    private static WebhookMessage Message(string url) => new(url, "msg_test", DateTimeOffset.UtcNow, "{\"type\":\"ping\"}", [WebhookSecret.Generate()]);
}
