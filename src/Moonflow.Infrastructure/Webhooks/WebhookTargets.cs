using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Moonflow.Application.Webhooks;

namespace Moonflow.Infrastructure.Webhooks;

/// <summary>
/// Which addresses webhooks may reach. Loopback, private (RFC 1918, unique local), carrier-grade NAT, link-local (where
/// cloud metadata services answer, 169.254.169.254 and fd00:ec2::254) and unspecified or multicast addresses are refused
/// unless <see cref="WebhookOptions.AllowPrivateTargets"/>: a tenant must not make Moonflow call into its own network.
/// </summary>
internal static class WebhookAddresses
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19))
                || b[0] >= 224);
        }

        var v6 = address.GetAddressBytes();
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (v6[0] & 0xFE) == 0xFC);
    }
}

/// <summary>Checks a URL at registration: its scheme, and every address its host resolves to now (checked again at each attempt).</summary>
internal sealed class WebhookTargetGuard(IOptions<WebhookOptions> options) : IWebhookTargetGuard
{
    public async Task<Moonflow.Domain.Common.ErrorText?> RefusalAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "The URL is not absolute.";
        }

        if (options.Value.RequireHttps && uri.Scheme != Uri.UriSchemeHttps)
        {
            return "Webhook endpoints must use https.";
        }

        if (options.Value.AllowPrivateTargets)
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.IdnHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return $"The host '{uri.Host}' could not be resolved.";
        }

        return addresses.Length == 0 || addresses.Any(a => !WebhookAddresses.IsPublic(a))
            ? $"The host '{uri.Host}' resolves to a loopback, private, link-local or metadata address; webhooks only go to public addresses."
            : null;
    }
}

/// <summary>Development defaults: local receivers over http are fine there, and nowhere else unless configured.</summary>
internal sealed class WebhookOptionsDefaults(IHostEnvironment environment) : IConfigureOptions<WebhookOptions>
{
    public void Configure(WebhookOptions options)
    {
        if (environment.IsDevelopment())
        {
            options.RequireHttps = false;
            options.AllowPrivateTargets = true;
        }
    }
}
