using Moonflow.Infrastructure.Identity;

namespace Moonflow.Api.Infrastructure;

/// <summary>After authentication: turns the principal into the request's caller (tenant, actor, permissions).</summary>
internal sealed class CallerContextMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, CallerResolver resolver)
    {
        if (context.User.Identity?.IsAuthenticated == true && !await resolver.ResolveAsync(context.User, context.RequestAborted))
        {
            // A valid token for a user that no longer exists or was deactivated.
            await Results.Problem(ProblemDetailsExceptionHandler.Problem(
                401, "unauthenticated", "Authentication is required.", "The token's user is unknown or inactive in its tenant.")).ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
