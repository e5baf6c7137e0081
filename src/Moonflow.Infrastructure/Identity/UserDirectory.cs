using Moonflow.Application.Identity.Users;
using Npgsql;

namespace Moonflow.Infrastructure.Identity;

/// <summary>Looks users up by e-mail on a pooled connection of its own (not the caller's transaction).</summary>
internal sealed class UserDirectory(NpgsqlDataSource dataSource) : IUserDirectory
{
    public async Task<IReadOnlyDictionary<string, UserReference>> FindByEmailsAsync(
        Guid tenantId, IReadOnlyCollection<string> emails, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, UserReference>(StringComparer.Ordinal);
        if (emails.Count == 0)
        {
            return found;
        }

        await using var command = dataSource.CreateCommand("SELECT email, id, display_name FROM identity.users WHERE tenant_id = $1 AND email = ANY($2)");
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = emails.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[reader.GetString(0)] = new UserReference(reader.GetGuid(1), reader.GetString(2));
        }

        return found;
    }

    public async Task<IReadOnlyList<Guid>> AdminsAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM identity.users WHERE tenant_id = $1 AND role = 'Admin' AND is_active ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        var admins = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            admins.Add(reader.GetGuid(0));
        }

        return admins;
    }
}
