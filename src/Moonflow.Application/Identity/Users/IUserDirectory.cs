namespace Moonflow.Application.Identity.Users;

/// <summary>
/// Identity's published lookup of users, for modules that hold user references (an upload naming an advisor by
/// e-mail): they ask here instead of reading <c>identity.users</c> themselves.
/// </summary>
public interface IUserDirectory
{
    /// <summary>
    /// The tenant's users with these e-mails (lower case; e-mails with no user are left out). Reads committed data on a
    /// connection of its own, so it can run beside a transaction that is busy on another.
    /// </summary>
    Task<IReadOnlyDictionary<string, UserReference>> FindByEmailsAsync(Guid tenantId, IReadOnlyCollection<string> emails, CancellationToken cancellationToken);

    /// <summary>The tenant's active admins, for notices meant for whoever runs the tenant (a webhook endpoint disabled).</summary>
    Task<IReadOnlyList<Guid>> AdminsAsync(Guid tenantId, CancellationToken cancellationToken);
}

/// <summary>What another module may keep of a user: its id and the name it shows as now.</summary>
public sealed record UserReference(Guid Id, string DisplayName);
