using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Localization;
using Moonflow.Infrastructure.Identity;
using Moonflow.Infrastructure.Persistence;

namespace Moonflow.Api.Infrastructure.Localization;

/// <summary>
/// Without an <c>Accept-Language</c> we speak, a signed-in caller is answered in its tenant's language
/// (<c>PUT /api/v1/tenant/settings</c> <c>language</c>). Localization runs before the exception handler (so problems are
/// written in that language) and so before <c>UseAuthentication</c>: the caller is authenticated here, and the handler's
/// result is kept for the request, so <c>UseAuthentication</c> does not check the token or key a second time.
/// </summary>
internal sealed class TenantLanguageCultureProvider : RequestCultureProvider
{
    public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        var request = httpContext.Request;
        if (!request.Headers.Authorization.Any() && !request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName))
        {
            return null; // anonymous: Localization:DefaultLanguage
        }

        var result = await httpContext.AuthenticateAsync();
        if (result.Principal?.FindFirst(MoonflowClaims.Tenant)?.Value is not { Length: > 0 } tenant)
        {
            return null;
        }

        var languages = httpContext.RequestServices.GetRequiredService<TenantLanguages>();
        var db = httpContext.RequestServices.GetRequiredService<MoonflowDbContext>();
        return await languages.FindAsync(tenant, db, httpContext.RequestAborted) is { } language ? new ProviderCultureResult(language) : null;
    }
}
