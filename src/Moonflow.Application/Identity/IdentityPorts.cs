using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity;

public interface IUserRepository
{
    /// <summary>Sign-in happens before a tenant is known, so this looks across tenants by the tenant's slug.</summary>
    Task<(User User, Tenant Tenant)?> FindForSignInAsync(string tenantSlug, string email, CancellationToken cancellationToken);

    Task<User?> GetAsync(Guid id, CancellationToken cancellationToken);

    Task<Tenant?> GetTenantAsync(Guid tenantId, CancellationToken cancellationToken);

    void Add(User user);

    /// <summary>Whether the caller's tenant has a user with this (lower-case) e-mail.</summary>
    Task<bool> EmailExistsAsync(string email, CancellationToken cancellationToken);

    /// <summary>
    /// Locks the caller's tenant for user changes until the transaction ends, then counts its active admins other than
    /// <paramref name="userId"/>: two admins demoting each other at once are serialised, so one of them stays.
    /// </summary>
    Task<AdminSeats> LockAdminSeatsAsync(Guid userId, CancellationToken cancellationToken);
}

/// <summary>The caller's tenant, loaded for change (its settings).</summary>
public interface ITenantRepository
{
    Task<Tenant?> GetAsync(Guid tenantId, CancellationToken cancellationToken);
}

public interface IApiKeyRepository
{
    void Add(ApiKey key);

    Task<ApiKey?> GetAsync(Guid id, CancellationToken cancellationToken);
}

public interface IPasswordHasher
{
    string Hash(User user, string password);

    bool Verify(User user, string password);
}

/// <summary>Issues the API's own access tokens.</summary>
public interface ITokenIssuer
{
    IssuedToken Issue(User user, Tenant tenant);
}

public sealed record IssuedToken(string AccessToken, int ExpiresInSeconds);
