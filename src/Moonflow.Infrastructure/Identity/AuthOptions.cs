namespace Moonflow.Infrastructure.Identity;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Issuer of the API's own tokens.</summary>
    public string Issuer { get; set; } = "moonflow";

    public string Audience { get; set; } = "moonflow-api";

    /// <summary>HMAC key (at least 32 bytes) for the API's own tokens. Required unless <see cref="Authority"/> is set.</summary>
    public string? SigningKey { get; set; }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>An external OIDC authority whose tokens are accepted instead; its tokens carry <c>tid</c> (tenant slug) and <c>email</c>.</summary>
    public string? Authority { get; set; }
}

public static class MoonflowClaims
{
    public const string Tenant = "tid";
    public const string Subject = "sub";
    public const string Email = "email";
    public const string Permission = "perm";
    public const string ApiKeyName = "key_name";
    public const string ApiKeyScheme = "ApiKey";
}
