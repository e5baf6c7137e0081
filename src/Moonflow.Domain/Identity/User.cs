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

    /// <summary>
    /// Carried by every token the API issues; a token of an older session (before a deactivation or a password change)
    /// no longer matches and is refused, even once the user is active again.
    /// </summary>
    public int SessionVersion { get; private set; }

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

    /// <summary>Refuses a password that does not meet <see cref="PasswordMustMeetPolicyRule"/> (400 <c>weak_password</c>); checked before it is hashed.</summary>
    public static void CheckPassword(string password, string email) => CheckRule(new PasswordMustMeetPolicyRule(password ?? string.Empty, email ?? string.Empty));

    public IReadOnlySet<string> Permissions =>
        RolePermissions.For(Role).Concat(_grantedPermissions).ToHashSet(StringComparer.Ordinal);

    public bool Has(string permission) => Permissions.Contains(permission);

    public void Grant(string permission)
    {
        if (!Identity.Permissions.All.Contains(permission))
        {
            throw new DomainValidationException(nameof(permission), $"Unknown permission '{permission}'.");
        }

        CheckRule(new PermissionMustBeGrantableRule(permission));
        if (!_grantedPermissions.Contains(permission))
        {
            _grantedPermissions.Add(permission);
        }
    }

    public void Revoke(string permission)
    {
        if (!Identity.Permissions.All.Contains(permission))
        {
            throw new DomainValidationException(nameof(permission), $"Unknown permission '{permission}'.");
        }

        CheckRule(new PermissionMustBeGrantableRule(permission));
        _grantedPermissions.Remove(permission);
    }

    /// <summary>Sets a new password hash (the seed, an admin's initial password); sessions stay as they are.</summary>
    public void ChangePasswordHash(string passwordHash) =>
        PasswordHash = Guard.Required(passwordHash, nameof(passwordHash), 500);

    /// <summary>The user changed their own password: tokens of earlier sessions stop working.</summary>
    public void ReplacePassword(string passwordHash)
    {
        ChangePasswordHash(passwordHash);
        SessionVersion++;
    }

    /// <param name="seats">The tenant's active admins other than this user, counted under the tenant's lock.</param>
    public void ChangeRole(Role role, AdminSeats seats)
    {
        if (!Enum.IsDefined(role))
        {
            throw new DomainValidationException(nameof(role), $"Unknown role '{role}'.");
        }

        if (role != Role.Admin)
        {
            CheckRule(new TenantMustKeepAnActiveAdminRule(this, seats));
        }

        Role = role;
    }

    /// <summary>Refuses the user's tokens and sign-ins from now on; a reactivation does not bring old tokens back.</summary>
    public void Deactivate(AdminSeats seats)
    {
        if (!IsActive)
        {
            return;
        }

        CheckRule(new TenantMustKeepAnActiveAdminRule(this, seats));
        IsActive = false;
        SessionVersion++;
    }

    public void Activate() => IsActive = true;
}

/// <summary>How many other active admins the tenant has besides the user being changed (its circumstances, counted under a lock).</summary>
public sealed record AdminSeats(int OtherActiveAdmins);

/// <summary>A tenant without an active admin could no longer manage its users: the last one cannot be demoted or deactivated.</summary>
public sealed class TenantMustKeepAnActiveAdminRule(User user, AdminSeats seats) : IBusinessRule
{
    public string Code => "last_admin";

    public ErrorText Message =>
        $"{user.Email} is the tenant's last active admin; make another user an admin first.";

    public bool IsBroken() => user.Role == Role.Admin && user.IsActive && seats.OtherActiveAdmins == 0;
}

/// <summary>Only some permissions are granted one by one (today <c>backups.request</c>); the rest come with a role.</summary>
public sealed class PermissionMustBeGrantableRule(string permission) : IRequestRule
{
    public string Code => "permission_not_grantable";

    public ErrorText Message =>
        $"'{permission}' comes with a role and cannot be granted to one user; grantable permissions: {string.Join(", ", Identity.Permissions.Grantable.Order(StringComparer.Ordinal))}.";

    public bool IsBroken() => !Identity.Permissions.Grantable.Contains(permission);
}

/// <summary>
/// The minimum a password must meet (an initial one set by an admin, or a user's own): long enough, letters and digits,
/// and not the e-mail address.
/// </summary>
public sealed class PasswordMustMeetPolicyRule(string password, string email) : IRequestRule
{
    public const int MinimumLength = 10;
    public const int MaximumLength = 128;

    public string Code => "weak_password";

    public ErrorText Message =>
        $"The password needs {MinimumLength} to {MaximumLength} characters with at least one letter and one digit, and must not be the e-mail address.";

    public bool IsBroken() =>
        password.Length is < MinimumLength or > MaximumLength
        || !password.Any(char.IsLetter)
        || !password.Any(char.IsDigit)
        || string.Equals(password.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase);
}
