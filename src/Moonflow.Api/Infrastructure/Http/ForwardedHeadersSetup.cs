using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Moonflow.Api.Infrastructure.Http;

/// <summary>
/// Behind a reverse proxy every client shares the proxy's address, and the sign-in throttle would count them as one.
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are honoured only when the connection comes from a proxy listed in
/// <c>ForwardedHeaders:KnownProxies</c> (addresses) or <c>ForwardedHeaders:KnownNetworks</c> (CIDR, e.g. <c>10.0.0.0/8</c>);
/// with neither, they are ignored altogether (ASP.NET Core would otherwise trust any sender when both lists are empty).
/// </summary>
internal static class ForwardedHeadersSetup
{
    public const string Section = "ForwardedHeaders";

    public static IServiceCollection AddMoonflowForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var proxies = configuration.GetSection($"{Section}:KnownProxies").Get<string[]>() ?? [];
        var networks = configuration.GetSection($"{Section}:KnownNetworks").Get<string[]>() ?? [];
        return services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear(); // not even loopback by default: only what is configured
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new InvalidOperationException($"{Section}:KnownProxies has '{proxy}', which is not an IP address."));
            }

            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                    ? parsed
                    : throw new InvalidOperationException($"{Section}:KnownNetworks has '{network}', which is not a CIDR network such as 10.0.0.0/8."));
            }
        });
    }

    /// <summary>First in the pipeline, so every later part (the throttle, the document's server, logs) sees the client.</summary>
    public static IApplicationBuilder UseMoonflowForwardedHeaders(this IApplicationBuilder app, IConfiguration configuration) =>
        configuration.GetSection($"{Section}:KnownProxies").GetChildren().Any() || configuration.GetSection($"{Section}:KnownNetworks").GetChildren().Any()
            ? app.UseForwardedHeaders()
            : app;
}
