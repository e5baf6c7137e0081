using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Moonflow.Application.Backups;
using Moonflow.Infrastructure.Identity;

namespace Moonflow.Infrastructure.Backups;

/// <summary>
/// Download links as HMAC-SHA256-signed tokens: version, tenant, backup, expiry (Unix seconds) and 8 random bytes (each link
/// issued is a new one) in 49 bytes, then the 32-byte MAC, base64url. Nothing is stored: the signature is the proof, compared in constant time; a changed byte anywhere makes the
/// token invalid. The key is <c>Backups:LinkSigningKey</c>, or one derived from <c>Auth:SigningKey</c> for this purpose alone
/// (HKDF), so a leaked link key cannot sign API tokens nor the other way round.
/// </summary>
internal sealed class BackupLinkSigner : IBackupLinkSigner
{
    private const byte Version = 1;
    private const int PayloadBytes = 1 + 16 + 16 + 8 + 8;
    private const int MacBytes = 32;

    private readonly byte[]? _configuredKey;

    /// <summary>Never throws here: every process's executors are built together, so only a backup's own use may fail on a missing key.</summary>
    public BackupLinkSigner(IOptions<BackupOptions> backups, IOptions<AuthOptions> auth) => _configuredKey = KeyOf(backups.Value, auth.Value);

    private byte[] Key => _configuredKey ?? throw new InvalidOperationException(BackupLinkKeyValidator.Problem);

    public string Sign(BackupLink link)
    {
        Span<byte> token = stackalloc byte[PayloadBytes + MacBytes];
        token[0] = Version;
        link.TenantId.TryWriteBytes(token[1..17]);
        link.BackupId.TryWriteBytes(token[17..33]);
        BinaryPrimitives.WriteInt64BigEndian(token[33..41], link.ExpiresAt.ToUnixTimeSeconds());
        RandomNumberGenerator.Fill(token[41..49]);
        HMACSHA256.HashData(Key, token[..PayloadBytes], token[PayloadBytes..]);
        return WebEncoders.Base64UrlEncode(token);
    }

    public BackupLink? Verify(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 128)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(token);
        }
        catch (FormatException)
        {
            return null;
        }

        if (bytes.Length != PayloadBytes + MacBytes || bytes[0] != Version)
        {
            return null;
        }

        Span<byte> expected = stackalloc byte[MacBytes];
        HMACSHA256.HashData(Key, bytes.AsSpan(0, PayloadBytes), expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(PayloadBytes)))
        {
            return null;
        }

        return new BackupLink(
            new Guid(bytes.AsSpan(1, 16)),
            new Guid(bytes.AsSpan(17, 16)),
            DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(33, 8))));
    }

    internal static byte[]? KeyOf(BackupOptions backups, AuthOptions auth)
    {
        if (!string.IsNullOrWhiteSpace(backups.LinkSigningKey))
        {
            var key = Encoding.UTF8.GetBytes(backups.LinkSigningKey);
            return key.Length >= AuthOptions.MinimumSigningKeyBytes ? key : null;
        }

        return auth.SigningKeyProblem() is null
            ? HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(auth.SigningKey!), 32, info: Encoding.UTF8.GetBytes("moonflow backup links v1"))
            : null;
    }
}

/// <summary>
/// Checked when an API node starts, like the API's own signing key (<c>ValidateOnStart</c>): a node that could not sign or
/// check download links would fail every download and every finished backup; it stops at once naming the setting instead.
/// Worker nodes are not checked (they start without <c>Auth:SigningKey</c> today); one without a key fails the backups it
/// finishes, naming the setting in the log.
/// </summary>
public sealed class BackupLinkKeyValidator(IOptions<AuthOptions> auth) : IValidateOptions<BackupOptions>
{
    public const string Problem =
        "Backups:LinkSigningKey must be a random secret of at least 32 bytes (e.g. Backups__LinkSigningKey=\"$(openssl rand -base64 48)\"); "
        + "when it is not set, download links are signed with a key derived from Auth:SigningKey, which is not set either.";

    public ValidateOptionsResult Validate(string? name, BackupOptions options) =>
        BackupLinkSigner.KeyOf(options, auth.Value) is null ? ValidateOptionsResult.Fail(Problem) : ValidateOptionsResult.Success;
}
