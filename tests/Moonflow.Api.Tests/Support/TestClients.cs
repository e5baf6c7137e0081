using Npgsql;

namespace Moonflow.Api.Tests.Support;

/// <summary>Inserts clients straight into the database (fast, set-based) for tests that need many.</summary>
public static class TestClients
{
    public static Task<List<Guid>> InsertAsync(MoonflowApiFactory factory, string tenantSlug, int count, string tag) =>
        factory.WithDbAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO receivables.clients (id, tenant_id, document_type, document_number, name, email, phone, tags, created_at)
                SELECT gen_random_uuid(), t.id, 'CC', @prefix || lpad(g::text, 6, '0'), 'Test client ' || g, NULL, NULL, ARRAY[@tag], now()
                FROM identity.tenants t, generate_series(1, @count) g
                WHERE t.slug = @tenant
                RETURNING id
                """,
                connection);
            command.Parameters.AddWithValue("prefix", Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("tag", tag);
            command.Parameters.AddWithValue("count", count);
            command.Parameters.AddWithValue("tenant", tenantSlug);
            var ids = new List<Guid>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetGuid(0));
            }

            return ids;
        });

    public static string UniqueTag(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..30];
}
