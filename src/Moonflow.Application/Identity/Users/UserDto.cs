using System.Linq.Expressions;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity.Users;

/// <summary>A user as admins see them: role, whether they may sign in, what was granted one by one and what they may do in all.</summary>
public sealed record UserDto(
    Guid Id, string Email, string Name, Role Role, bool Active, IReadOnlyList<string> GrantedPermissions, IReadOnlyList<string> Permissions,
    DateTimeOffset CreatedAt)
{
    public static UserDto Of(User user) => new(
        user.Id, user.Email, user.DisplayName, user.Role, user.IsActive, user.GrantedPermissions.Order(StringComparer.Ordinal).ToList(),
        user.Permissions.Order(StringComparer.Ordinal).ToList(), user.CreatedAt);
}

/// <summary>The columns a list of users reads; the effective permissions are worked out in .NET from the role and the grants.</summary>
public sealed record UserRow(Guid Id, string Email, string DisplayName, Role Role, bool IsActive, IReadOnlyList<string> GrantedPermissions, DateTimeOffset CreatedAt)
{
    public static readonly Expression<Func<User, UserRow>> Projection = u => new UserRow(
        u.Id, u.Email, u.DisplayName, u.Role, u.IsActive, u.GrantedPermissions, u.CreatedAt);

    public UserDto ToDto() => new(
        Id, Email, DisplayName, Role, IsActive, GrantedPermissions.Order(StringComparer.Ordinal).ToList(),
        RolePermissions.For(Role).Concat(GrantedPermissions).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), CreatedAt);
}
