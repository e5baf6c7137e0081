using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Identity;
using Moonflow.Application.Identity.ApiKeys;
using Moonflow.Domain.Identity;
using Moonflow.Infrastructure.Persistence;

namespace Moonflow.Infrastructure.Identity;

/// <summary>ASP.NET Core Identity's standard hasher (PBKDF2, versioned format).</summary>
internal sealed class IdentityPasswordHasher : IPasswordHasher
{
    private readonly PasswordHasher<User> _hasher = new();

    public string Hash(User user, string password) => _hasher.HashPassword(user, password);

    public bool Verify(User user, string password) =>
        _hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
}

public sealed class JwtTokenIssuer(IOptions<AuthOptions> options, TimeProvider clock) : ITokenIssuer
{
    public IssuedToken Issue(User user, Tenant tenant)
    {
        var auth = options.Value;
        var now = clock.GetUtcNow();
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + auth.TokenLifetime).UtcDateTime,
            Subject = new ClaimsIdentity(
            [
                new Claim(MoonflowClaims.Subject, user.Id.ToString()),
                new Claim(MoonflowClaims.Tenant, tenant.Slug),
                new Claim(MoonflowClaims.Email, user.Email),
                new Claim(MoonflowClaims.SessionVersion, user.SessionVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer32),
            ]),
            SigningCredentials = new SigningCredentials(SigningKey(auth), SecurityAlgorithms.HmacSha256),
        };
        return new IssuedToken(new JsonWebTokenHandler().CreateToken(descriptor), (int)auth.TokenLifetime.TotalSeconds);
    }

    public static SymmetricSecurityKey SigningKey(AuthOptions auth) =>
        auth.SigningKeyProblem() is { } problem
            ? throw new InvalidOperationException(problem)
            : new SymmetricSecurityKey(Encoding.UTF8.GetBytes(auth.SigningKey!));
}

/// <summary>
/// Turns an authenticated principal into the caller of this request. Users' permissions, activity and session version are
/// read from the database on every request (no cache), so a role change, a grant or revoke, or a deactivation takes
/// effect on the very next request of a token already issued.
/// </summary>
public sealed class CallerResolver(MoonflowDbContext db, UserContext context)
{
    public async Task<bool> ResolveAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (principal.Identity?.AuthenticationType == MoonflowClaims.ApiKeyScheme)
        {
            context.SignInApiKey(
                Guid.Parse(principal.FindFirstValue(MoonflowClaims.Tenant)!),
                Guid.Parse(principal.FindFirstValue(MoonflowClaims.Subject)!),
                principal.FindFirstValue(MoonflowClaims.ApiKeyName)!,
                principal.FindAll(MoonflowClaims.Permission).Select(c => c.Value));
            return true;
        }

        var tenantSlug = principal.FindFirstValue(MoonflowClaims.Tenant);
        var subject = principal.FindFirstValue(MoonflowClaims.Subject) ?? principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var email = (principal.FindFirstValue(MoonflowClaims.Email) ?? principal.FindFirstValue(ClaimTypes.Email))?.ToLowerInvariant();
        if (tenantSlug is null)
        {
            return false;
        }

        var users = from tenant in db.Set<Tenant>()
                    join user in db.Set<User>().IgnoreQueryFilters() on tenant.Id equals user.TenantId
                    where tenant.Slug == tenantSlug && user.IsActive
                    select user;
        var found = Guid.TryParse(subject, out var userId)
            ? await users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken)
            : null;
        found ??= email is null ? null : await users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email, cancellationToken);
        if (found is null)
        {
            return false;
        }

        // The API's own tokens name the session they belong to: one issued before a deactivation or a password change is
        // refused, even once the user is active again. External authorities' tokens carry no version and are not affected.
        if (principal.FindFirstValue(MoonflowClaims.SessionVersion) is { } version
            && (!int.TryParse(version, System.Globalization.CultureInfo.InvariantCulture, out var issuedFor) || issuedFor != found.SessionVersion))
        {
            return false;
        }

        context.SignInUser(found.TenantId, found.Id, found.Email, found.Permissions);
        return true;
    }
}

/// <summary>Checks an <c>X-Api-Key</c> header against the stored hashes.</summary>
public sealed class ApiKeyAuthenticator(MoonflowDbContext db)
{
    public async Task<ClaimsPrincipal?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.TryParsePrefix(presentedKey, out var prefix))
        {
            return null;
        }

        var key = await db.Set<ApiKey>().IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(k => k.Prefix == prefix && k.RevokedAt == null, cancellationToken);
        if (key is null || !ApiKeySecret.Matches(presentedKey, key.SecretHash))
        {
            return null;
        }

        var claims = new List<Claim>
        {
            new(MoonflowClaims.Subject, key.Id.ToString()),
            new(MoonflowClaims.Tenant, key.TenantId.ToString()),
            new(MoonflowClaims.ApiKeyName, key.Name),
        };
        claims.AddRange(key.Permissions.Select(p => new Claim(MoonflowClaims.Permission, p)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, MoonflowClaims.ApiKeyScheme));
    }
}
