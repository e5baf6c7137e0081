using System.Text;
using Microsoft.Extensions.Options;

namespace Moonflow.Infrastructure.Identity;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The shortest HMAC-SHA256 key the API signs its own tokens with.</summary>
    public const int MinimumSigningKeyBytes = 32;

    /// <summary>Issuer of the API's own tokens.</summary>
    public string Issuer { get; set; } = "moonflow";

    public string Audience { get; set; } = "moonflow-api";

    /// <summary>HMAC key (at least 32 bytes) for the API's own tokens. Required unless <see cref="Authority"/> is set.</summary>
    public string? SigningKey { get; set; }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>An external OIDC authority whose tokens are accepted instead; its tokens carry <c>tid</c> (tenant slug) and <c>email</c>.</summary>
    public string? Authority { get; set; }

    public bool UsesExternalAuthority => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>Why the API could not sign its own tokens with this configuration, or null when it can.</summary>
    public string? SigningKeyProblem()
    {
        const string Remedy =
            "Set Auth:SigningKey to a random secret of at least 32 bytes (e.g. the environment variable Auth__SigningKey=\"$(openssl rand -base64 48)\"), "
            + "or set Auth:Authority to accept the tokens of an external OIDC authority instead. Development runs use the key in appsettings.Development.json.";
        if (string.IsNullOrWhiteSpace(SigningKey))
        {
            return $"Auth:SigningKey is not set and no Auth:Authority is configured, so the API cannot sign its own tokens. {Remedy}";
        }

        var bytes = Encoding.UTF8.GetByteCount(SigningKey);
        return bytes < MinimumSigningKeyBytes
            ? $"Auth:SigningKey has {bytes} bytes; the API signs its tokens with HMAC-SHA256 and needs at least {MinimumSigningKeyBytes}. {Remedy}"
            : null;
    }
}

/// <summary>
/// Checked when an API node starts (<c>ValidateOnStart</c>): without a signing key or an external authority no one
/// could sign in, and every sign-in would be a 500 instead of one clear start-up error.
/// </summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options) =>
        options.UsesExternalAuthority || options.SigningKeyProblem() is not { } problem
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problem);
}

public static class MoonflowClaims
{
    public const string Tenant = "tid";
    public const string Subject = "sub";
    public const string Email = "email";
    public const string Permission = "perm";

    /// <summary>The user's session version when the token was issued; an older one is refused (see <c>User.SessionVersion</c>).</summary>
    public const string SessionVersion = "sv";
    public const string ApiKeyName = "key_name";
    public const string ApiKeyScheme = "ApiKey";
}
