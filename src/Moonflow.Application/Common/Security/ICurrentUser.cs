namespace Moonflow.Application.Common.Security;

/// <summary>Who is calling: a signed-in user, a partner's API key, or a background job acting for a tenant.</summary>
public interface ICurrentUser
{
    bool IsAuthenticated { get; }

    Guid TenantId { get; }

    /// <summary>The user behind the call; null for API keys and background jobs.</summary>
    Guid? UserId { get; }

    /// <summary>Who acts, for the audit trail: the user, or the API key.</summary>
    Guid ActorId { get; }

    /// <summary>How the audit trail names the actor (an e-mail, or "API key: name").</summary>
    string ActorName { get; }

    /// <summary>True for a background job, which runs what a user already was allowed to start.</summary>
    bool IsSystem { get; }

    IReadOnlySet<string> Permissions { get; }

    bool Has(string permission);
}

/// <summary>The scoped holder of the caller; set once per request or job, read everywhere else.</summary>
public sealed class UserContext : ICurrentUser
{
    private static readonly IReadOnlySet<string> NoPermissions = new HashSet<string>();

    public bool IsAuthenticated { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid? UserId { get; private set; }

    public Guid ActorId { get; private set; }

    public string ActorName { get; private set; } = "anonymous";

    public bool IsSystem { get; private set; }

    public IReadOnlySet<string> Permissions { get; private set; } = NoPermissions;

    public bool Has(string permission) => IsSystem || Permissions.Contains(permission);

    public void SignInUser(Guid tenantId, Guid userId, string email, IEnumerable<string> permissions)
    {
        SignIn(tenantId, userId, email, permissions);
        UserId = userId;
    }

    public void SignInApiKey(Guid tenantId, Guid apiKeyId, string keyName, IEnumerable<string> permissions) =>
        SignIn(tenantId, apiKeyId, $"API key: {keyName}", permissions);

    private void SignIn(Guid tenantId, Guid actorId, string actorName, IEnumerable<string> permissions)
    {
        TenantId = tenantId;
        ActorId = actorId;
        ActorName = actorName;
        Permissions = permissions.ToHashSet(StringComparer.Ordinal);
        IsAuthenticated = true;
    }

    /// <summary>For platform jobs that work across tenants (they opt out of tenant filters explicitly).</summary>
    public void ActAsPlatform() => ActAsSystem(Guid.Empty);

    public void ActAsSystem(Guid tenantId)
    {
        TenantId = tenantId;
        UserId = null;
        ActorName = "system";
        IsSystem = true;
        IsAuthenticated = true;
    }
}

/// <summary>Declares the permission a request needs; the authorization behaviour enforces it.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class RequiresPermissionAttribute(string permission) : Attribute
{
    public string Permission { get; } = permission;
}

/// <summary>Marks requests any signed-in caller may send, whatever their permissions (their own profile, preferences).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AnySignedInCallerAttribute : Attribute;

/// <summary>Marks requests anyone may send without signing in (e.g. asking for a token).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AllowAnonymousRequestAttribute : Attribute;

public static class CurrentUserExtensions
{
    /// <summary>The user id, for use cases that only a person (not an API key) can perform.</summary>
    public static Guid RequireUserId(this ICurrentUser user) =>
        user.UserId ?? throw new Exceptions.ForbiddenException("This action needs a signed-in user, not an API key.");
}
