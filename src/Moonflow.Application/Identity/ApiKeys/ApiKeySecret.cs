using System.Security.Cryptography;
using System.Text;

namespace Moonflow.Application.Identity.ApiKeys;

/// <summary>
/// API keys look like <c>mf_{prefix}_{secret}</c>. The prefix finds the key; the secret is random (256 bits),
/// so a plain SHA-256 of it is a safe stored form and fast to check on every request.
/// </summary>
public static class ApiKeySecret
{
    public static (string Prefix, string FullKey, string Hash) Generate()
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var fullKey = $"mf_{prefix}_{secret}";
        return (prefix, fullKey, Hash(fullKey));
    }

    public static string Hash(string fullKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fullKey)));

    public static bool TryParsePrefix(string fullKey, out string prefix)
    {
        var parts = fullKey.Split('_', 3);
        prefix = parts.Length == 3 && parts[0] == "mf" ? parts[1] : string.Empty;
        return prefix.Length > 0;
    }

    public static bool Matches(string fullKey, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(fullKey)), Encoding.ASCII.GetBytes(storedHash));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed record ApiKeyDto(Guid Id, string Name, string Prefix, IReadOnlyList<string> Permissions, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
