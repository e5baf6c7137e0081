using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Security;
using Moonflow.Infrastructure.RateLimiting;

namespace Moonflow.Api.Infrastructure;

/// <summary>Section <c>RateLimits</c>: per caller (user or API key), per fixed window, for two kinds of request.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>Requests that start work: POSTs that create a process (the endpoints that take an <c>Idempotency-Key</c>).</summary>
    public WindowLimit Work { get; set; } = new() { PermitLimit = 60 };

    /// <summary>Every other request: reads, and small writes such as saving preferences.</summary>
    public WindowLimit Requests { get; set; } = new() { PermitLimit = 600 };

    public sealed class WindowLimit
    {
        public int PermitLimit { get; set; }

        public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
    }
}

/// <summary>
/// The ASP.NET Core rate limiter's global limiter, partitioned by caller and kind of request, with its counters in
/// PostgreSQL (<see cref="RateLimitCounters"/>) so that a limit holds across every API node: a fixed window per caller,
/// one upsert per request. Anonymous requests are not limited here (sign-in has its own throttle).
/// </summary>
internal sealed class SharedRateLimiter(IOptionsMonitor<RateLimitOptions> options) : PartitionedRateLimiter<HttpContext>
{
    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    /// <summary>
    /// The counters are a database away, so the quick synchronous try only lets through what is not limited at all; the
    /// middleware then asks <see cref="AcquireAsyncCore"/>, which counts.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        Partition(resource) is null ? Lease.Acquired : Lease.NotYetCounted;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
    {
        if (Partition(resource) is not var (key, limit))
        {
            return Lease.Acquired;
        }

        var now = resource.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var windowTicks = limit.Window.Ticks;
        var windowStart = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % windowTicks), TimeSpan.Zero);
        var hits = await resource.RequestServices.GetRequiredService<RateLimitCounters>().HitAsync(key, windowStart, cancellationToken);
        return hits <= limit.PermitLimit ? Lease.Acquired : Lease.Rejected(windowStart + limit.Window - now);
    }

    private (string Key, RateLimitOptions.WindowLimit Limit)? Partition(HttpContext context)
    {
        var settings = options.CurrentValue;
        var caller = context.RequestServices.GetRequiredService<ICurrentUser>();
        if (!settings.Enabled || !caller.IsAuthenticated || caller.IsSystem)
        {
            return null;
        }

        var startsWork = context.GetEndpoint()?.Metadata.GetMetadata<AcceptsIdempotencyKey>() is not null;
        var who = caller.UserId is { } user ? $"user:{user:N}" : $"apikey:{caller.ActorId:N}";
        return startsWork ? ($"{who}:work", settings.Work) : ($"{who}:requests", settings.Requests);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true, null);

        public static readonly Lease NotYetCounted = new(false, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public static Lease Rejected(TimeSpan retryAfter) => new(false, retryAfter);

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}

internal static class RateLimitRegistration
{
    public static IServiceCollection AddSharedRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section));
        services.AddSingleton<SharedRateLimiter>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<SharedRateLimiter>((limiter, shared) =>
        {
            limiter.GlobalLimiter = shared;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) => WriteRejectionAsync(context.HttpContext, context.Lease);
        });
        return services;
    }

    private static async ValueTask WriteRejectionAsync(HttpContext http, RateLimitLease lease)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var detail = http.RequestServices.GetRequiredService<Localization.ApiTexts>().Find("error.rate_limited.requests")
            ?? "Too many requests for this caller in the current window. Wait the seconds in Retry-After; the limits are in the API's documentation (For partners).";
        await Results.Problem(ProblemDetailsExceptionHandler.RateLimitedProblem(http, retryAfter, detail)).ExecuteAsync(http);
    }
}

/// <summary>The request's address, for the sign-in throttle: the connection's, or the client's as a configured proxy forwards it (<see cref="Http.ForwardedHeadersSetup"/>).</summary>
internal sealed class HttpClientAddress(IHttpContextAccessor accessor) : IClientAddress
{
    public string? Value => accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();
}
