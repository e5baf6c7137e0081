using Moonflow.Domain.Common;

namespace Moonflow.Domain.Identity;

/// <summary>
/// A partner system's credential. Only a hash of the secret is kept; the caller sees the secret once.
/// The key acts as the tenant, limited to its own permissions.
/// </summary>
public sealed class ApiKey : AggregateRoot, ITenantOwned
{
    private readonly List<string> _permissions = [];

    private ApiKey()
    {
        Name = Prefix = SecretHash = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Name { get; private set; }

    /// <summary>Public, unique part of the key, used to find it without scanning hashes.</summary>
    public string Prefix { get; private set; }

    public string SecretHash { get; private set; }

    public IReadOnlyList<string> Permissions => _permissions;

    public Guid CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsRevoked => RevokedAt is not null;

    public static ApiKey Issue(
        Guid tenantId, string name, string prefix, string secretHash, IEnumerable<string> permissions, User creator, DateTimeOffset now)
    {
        var requested = permissions.Distinct(StringComparer.Ordinal).ToList();
        CheckRule(new ApiKeyPermissionsMustBeHeldByCreatorRule(requested, creator));
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            Name = Guard.Required(name, nameof(name), 200),
            Prefix = Guard.Required(prefix, nameof(prefix), 32),
            SecretHash = Guard.Required(secretHash, nameof(secretHash), 200),
            CreatedBy = creator.Id,
            CreatedAt = now,
        };
        key._permissions.AddRange(requested);
        return key;
    }

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}

public sealed class ApiKeyPermissionsMustBeHeldByCreatorRule(IReadOnlyCollection<string> requested, User creator) : IBusinessRule
{
    public string Code => "permission_not_held";

    public ErrorText Message =>
        $"An API key can only carry permissions its creator holds: {string.Join(", ", requested.Where(p => !creator.Has(p)))}.";

    public bool IsBroken() => requested.Any(p => !creator.Has(p));
}
