using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Moonflow.Api.Tests.Support;

/// <summary>
/// An API whose limits are small and whose clock is a <see cref="FakeTimeProvider"/> set two hours back, at the start of a
/// minute: windows only move when a test moves them, and tokens issued on the moved clock are never "not valid yet" for
/// the real one. The connection's address is taken from <see cref="AddressHeader"/>, as a proxy's forwarded header would give it.
/// </summary>
public class ThrottleFactory : MoonflowApiFactory
{
    public const string AddressHeader = "X-Test-Client-Address";

    public const int RequestsPerMinute = 5;

    public const int WorkPerMinute = 2;

    public FakeTimeProvider Clock { get; } = new(StartOfMinute(DateTimeOffset.UtcNow.AddHours(-2)));

    /// <summary>Moves the clock to the start of the next minute: every caller gets a fresh window.</summary>
    public void NextWindow() => Clock.SetUtcNow(StartOfMinute(Clock.GetUtcNow()).AddMinutes(1));

    public HttpClient ClientFrom(string address)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(AddressHeader, address);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:Requests:PermitLimit", RequestsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RateLimits:Work:PermitLimit", WorkPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Auth:TokenLifetime", "30.00:00:00");
        builder.UseSetting("Processes:DispatchGrace", "30.00:00:00");
    }

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<IStartupFilter, AddressFromHeader>();
    }

    private static DateTimeOffset StartOfMinute(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);

    private sealed class AddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                if (context.Request.Headers.TryGetValue(AddressHeader, out var address))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                }

                return following(context);
            });
            next(app);
        };
    }
}
