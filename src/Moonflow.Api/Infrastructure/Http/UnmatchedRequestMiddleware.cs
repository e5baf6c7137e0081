namespace Moonflow.Api.Infrastructure.Http;

/// <summary>
/// A request that matches no endpoint answers 404 <c>not_found</c>, and one with the wrong method 405
/// <c>method_not_allowed</c> with <c>Allow</c>, whether or not the caller signed in: the routes are public in the OpenAPI
/// document anyway, and a new user who mistypes a path or a method should be told so, not asked to sign in.
/// Runs after routing and CORS, before authentication; the problem body is written by the status code pages.
/// </summary>
internal sealed class UnmatchedRequestMiddleware(RequestDelegate next)
{
    /// <summary>The display name routing gives the endpoint it selects when the path matches but the method does not.</summary>
    private const string MethodNotAllowedEndpoint = "405 HTTP Method Not Supported";

    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        // Routing's own 405 endpoint sets the status and Allow header; run it without the authorization fallback.
        if (endpoint.DisplayName == MethodNotAllowedEndpoint && endpoint.RequestDelegate is { } methodNotAllowed)
        {
            return methodNotAllowed(context);
        }

        return next(context);
    }
}
