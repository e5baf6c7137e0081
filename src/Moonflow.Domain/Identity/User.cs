using Moonflow.Domain.Common;

namespace Moonflow.Domain.Identity;

public sealed class User : AggregateRoot, ITenantOwned
{
    private readonly List<string> _grantedPermissions = [];

    private User()
    {
        Email = DisplayName = PasswordHash = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Email { get; private set; }

    public string DisplayName { get; private set; }

    public string PasswordHash { get; private set; }

    public Role Role { get; private set; }

    /// <summary>Permissions granted one by one on top of the role (e.g. <see cref="Permissions.BackupsRequest"/>).</summary>
    public IReadOnlyList<string> GrantedPermissions => _grantedPermissions;

    public bool IsActive { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static User Create(Guid tenantId, string email, string displayName, Role role, string passwordHash, DateTimeOffset now)
    {
        var normalizedEmail = Guard.Required(email, nameof(email), 254).ToLowerInvariant();
        if (!normalizedEmail.Contains('@', StringComparison.Ordinal))
        {
            throw new DomainValidationException(nameof(email), "'email' must be an e-mail address.");
        }

        return new User
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            Email = normalizedEmail,
            DisplayName = Guard.Required(displayName, nameof(displayName), 200),
            Role = role,
            PasswordHash = Guard.Required(passwordHash, nameof(passwordHash), 500),
            IsActive = true,
            CreatedAt = now,
        };
    }

    public IReadOnlySet<string> Permissions =>
        RolePermissions.For(Role).Concat(_grantedPermissions).ToHashSet(StringComparer.Ordinal);

    public bool Has(string permission) => Permissions.Contains(permission);

    public void Grant(string permission)
    {
        if (!Identity.Permissions.All.Contains(permission))
        {
            throw new DomainValidationException(nameof(permission), $"Unknown permission '{permission}'.");
        }

        if (!_grantedPermissions.Contains(permission))
        {
            _grantedPermissions.Add(permission);
        }
    }

    public void Revoke(string permission) => _grantedPermissions.Remove(permission);

    public void ChangePasswordHash(string passwordHash) =>
        PasswordHash = Guard.Required(passwordHash, nameof(passwordHash), 500);
}
