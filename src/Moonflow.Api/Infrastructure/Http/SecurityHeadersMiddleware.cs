namespace Moonflow.Api.Infrastructure.Http;

/// <summary>
/// Headers every answer carries: no MIME sniffing, no referrer, and a Content-Security-Policy that allows nothing
/// (the API serves JSON and files, never pages that run scripts). Swagger UI and the Hangfire dashboard are pages with
/// scripts and styles of their own, so they go without the CSP (they still get the other headers).
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static readonly PathString[] PagesWithScripts = ["/swagger", "/hangfire"];

    public Task InvokeAsync(HttpContext context)
    {
        // Set as the answer starts: the exception handler clears the headers of a response it rewrites.
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (!PagesWithScripts.Any(http.Request.Path.StartsWithSegments))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
