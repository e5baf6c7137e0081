using Moonflow.Application.Receivables.Clients;
using Npgsql;

namespace Moonflow.Infrastructure.Receivables;

/// <summary>
/// Looks clients up by document on a pooled connection of its own (not the caller's transaction); matches come back by
/// their place in the list sent, not with the document read back and parsed again.
/// </summary>
internal sealed class ClientDirectory(NpgsqlDataSource dataSource) : IClientDirectory
{
    public async Task<IReadOnlyDictionary<ClientDocument, ClientReference>> FindByDocumentsAsync(
        Guid tenantId, IReadOnlyCollection<ClientDocument> documents, CancellationToken cancellationToken)
    {
        var wanted = documents.ToList();
        var found = new Dictionary<ClientDocument, ClientReference>(wanted.Count);
        if (wanted.Count == 0)
        {
            return found;
        }

        await using var command = dataSource.CreateCommand(
            """
            SELECT d.position, c.id, c.name
            FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS d(type, number, position)
            JOIN receivables.clients c ON c.tenant_id = $1 AND c.document_type = d.type AND c.document_number = d.number
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = wanted.Select(d => d.Type.ToString()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = wanted.Select(d => d.Number).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[wanted[(int)reader.GetInt64(0) - 1]] = new ClientReference(reader.GetGuid(1), reader.GetString(2));
        }

        return found;
    }
}
