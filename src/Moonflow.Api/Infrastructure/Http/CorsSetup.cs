namespace Moonflow.Api.Infrastructure.Http;

/// <summary>
/// Cross-origin calls from the front ends listed in <c>Cors:Origins</c> (exact origins, e.g. <c>https://app.moonflow.dev</c>).
/// Callers authenticate with a bearer token or an API key in a header, never a cookie, so credentials are not allowed;
/// the headers a front end reads (Location of a started process, Retry-After, a file's name) are exposed.
/// No origin configured: no cross-origin call is allowed.
/// </summary>
internal static class CorsSetup
{
    public const string Section = "Cors:Origins";

    public static IServiceCollection AddMoonflowCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = configuration.GetSection(Section).Get<string[]>() ?? [];
        return services.AddCors(options => options.AddDefaultPolicy(policy => policy
            .WithOrigins(origins.Where(origin => !string.IsNullOrWhiteSpace(origin)).Select(origin => origin.Trim().TrimEnd('/')).ToArray())
            .AllowAnyMethod()
            .WithHeaders("Authorization", "Content-Type", "Accept", "Accept-Language", ApiKeyAuthenticationHandler.HeaderName, IdempotencyFilter.HeaderName)
            .WithExposedHeaders("Location", "Retry-After", "Content-Disposition", "Allow")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));
    }
}
