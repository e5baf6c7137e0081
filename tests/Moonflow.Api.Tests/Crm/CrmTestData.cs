using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moonflow.Api.Tests.Support;
using Npgsql;

namespace Moonflow.Api.Tests.Crm;

/// <summary>CRM data of a test's own (bases, lots, subcategories, contacts), so exact counts do not depend on the demo seed.</summary>
internal static class CrmTestData
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    public static async Task<Guid> CreateAsync(HttpClient client, string url, object body)
    {
        var created = await (await client.PostAsJsonAsync(url, body)).ReadJsonAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetGuid();
    }

    public static Task<Guid> BaseAsync(HttpClient admin) => CreateAsync(admin, "/api/v1/crm/bases", new { name = Unique("Base") });

    public static Task<Guid> LotAsync(HttpClient admin) => CreateAsync(admin, "/api/v1/crm/lots", new { name = Unique("Lote") });

    /// <summary>A category with the given subcategories; their ids in the same order.</summary>
    public static async Task<List<Guid>> SubcategoriesAsync(HttpClient admin, params string[] names)
    {
        var created = await (await admin.PostAsJsonAsync("/api/v1/crm/categories", new { name = Unique("Cat"), subcategories = names })).ReadJsonAsync(HttpStatusCode.Created);
        var subs = created.GetProperty("subcategories").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("id").GetGuid());
        return names.Select(n => subs[n]).ToList();
    }

    public static async Task<Guid> UserIdAsync(HttpClient client) =>
        (await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("userId").GetGuid();

    /// <summary>
    /// Contacts inserted set-based, numbered 0..count-1: in the base and lot given, with <paramref name="attempts"/>(i) attempts,
    /// managed last by <paramref name="user"/>(i), resolved with <paramref name="subcategory"/>(i), last contacted at
    /// <paramref name="lastContact"/>(i), do-not-call when <paramref name="doNotCall"/>(i), and <paramref name="calls"/>(i) rows of call history.
    /// </summary>
    public static Task<List<Guid>> ContactsAsync(
        MoonflowApiFactory api, string tenant, int count, Guid? baseId, Guid? lotId,
        Func<int, int>? attempts = null, Func<int, Guid?>? user = null, Func<int, Guid?>? subcategory = null, Func<int, DateTimeOffset?>? lastContact = null,
        Func<int, bool>? doNotCall = null, Func<int, int>? calls = null, string? tag = null) =>
        api.WithDbAsync(async db =>
        {
            var ids = new List<Guid>();
            var tenantId = await TenantIdAsync(db, tenant);
            var prefix = Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            for (var i = 0; i < count; i++)
            {
                var dnc = doNotCall?.Invoke(i) ?? false;
                var id = Guid.CreateVersion7();
                await using var insert = new NpgsqlCommand(
                    """
                    INSERT INTO crm.contacts (id, tenant_id, name, document_type, document_number, phones, email, details, tags, do_not_call, lot_id,
                        base_ids, attempts, last_contact_at, last_user_id, subcategory_id, dialable, created_at)
                    VALUES (@id, @tenant, @name, 'CC', @doc, ARRAY['+57 300' || @doc], NULL, '{}', @tags, @dnc, @lot,
                        @bases, @attempts, @last, @user, @sub, @dialable, now())
                    """,
                    db);
                insert.Parameters.AddWithValue("id", id);
                insert.Parameters.AddWithValue("tenant", tenantId);
                insert.Parameters.AddWithValue("name", $"Contacto {i}");
                insert.Parameters.AddWithValue("doc", prefix + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture));
                insert.Parameters.AddWithValue("tags", tag is null ? Array.Empty<string>() : new[] { tag });
                insert.Parameters.AddWithValue("dnc", dnc);
                insert.Parameters.AddWithValue("lot", (object?)lotId ?? DBNull.Value);
                insert.Parameters.AddWithValue("bases", baseId is null ? Array.Empty<Guid>() : new[] { baseId.Value });
                insert.Parameters.AddWithValue("attempts", attempts?.Invoke(i) ?? 0);
                insert.Parameters.AddWithValue("last", (object?)lastContact?.Invoke(i) ?? DBNull.Value);
                insert.Parameters.AddWithValue("user", (object?)user?.Invoke(i) ?? DBNull.Value);
                insert.Parameters.AddWithValue("sub", (object?)subcategory?.Invoke(i) ?? DBNull.Value);
                insert.Parameters.AddWithValue("dialable", !dnc && (attempts?.Invoke(i) ?? 0) == 0);
                await insert.ExecuteNonQueryAsync();

                var callCount = calls?.Invoke(i) ?? 0;
                if (callCount > 0)
                {
                    await using var history = new NpgsqlCommand(
                        """
                        INSERT INTO crm.call_history (id, tenant_id, contact_id, at, user_id, subcategory_id, duration_seconds, note)
                        SELECT gen_random_uuid(), @tenant, @id, now() - make_interval(hours => g), COALESCE(@user, gen_random_uuid()), NULL, 30, NULL
                        FROM generate_series(1, @n) g
                        """,
                        db);
                    history.Parameters.AddWithValue("tenant", tenantId);
                    history.Parameters.AddWithValue("id", id);
                    history.Parameters.AddWithValue("user", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)user?.Invoke(i) ?? DBNull.Value);
                    history.Parameters.AddWithValue("n", callCount);
                    await history.ExecuteNonQueryAsync();
                }

                ids.Add(id);
            }

            return ids;
        });

    /// <summary>A user of the tenant of this test's own (an agent), active or not.</summary>
    public static Task<Guid> UserAsync(MoonflowApiFactory api, string tenant, string name, bool active = true) =>
        api.WithDbAsync(async db =>
        {
            var id = Guid.CreateVersion7();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO identity.users (id, tenant_id, email, display_name, password_hash, role, granted_permissions, is_active, created_at) SELECT @id, id, @email, @name, 'x', 'Agent', '{}', @active, now() FROM identity.tenants WHERE slug = @tenant",
                db);
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("email", $"{id:N}@{tenant}.test");
            insert.Parameters.AddWithValue("name", name);
            insert.Parameters.AddWithValue("active", active);
            insert.Parameters.AddWithValue("tenant", tenant);
            await insert.ExecuteNonQueryAsync();
            return id;
        });

    /// <summary>Agendas of a contact for <paramref name="owner"/>, due one hour apart from <paramref name="firstDue"/>; their ids in due order.</summary>
    public static Task<List<Guid>> AgendasAsync(MoonflowApiFactory api, Guid contact, Guid owner, int count, DateTimeOffset firstDue, string status = "Pending") =>
        api.WithDbAsync(async db =>
        {
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO crm.agendas (id, tenant_id, contact_id, owner_id, due_at, note, status, created_at)
                SELECT gen_random_uuid(), c.tenant_id, c.id, @owner, @due + make_interval(hours => g), 'n' || g, @status, now()
                FROM crm.contacts c, generate_series(0, @count - 1) g WHERE c.id = @contact
                ORDER BY g
                RETURNING id, due_at
                """,
                db);
            insert.Parameters.AddWithValue("owner", owner);
            insert.Parameters.AddWithValue("due", firstDue.ToUniversalTime());
            insert.Parameters.AddWithValue("status", status);
            insert.Parameters.AddWithValue("count", count);
            insert.Parameters.AddWithValue("contact", contact);
            var rows = new List<(Guid Id, DateTime Due)>();
            await using var reader = await insert.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetGuid(0), reader.GetDateTime(1)));
            }

            return rows.OrderBy(r => r.Due).Select(r => r.Id).ToList();
        });

    public static async Task<Guid> TenantIdAsync(NpgsqlConnection db, string slug)
    {
        await using var command = new NpgsqlCommand("SELECT id FROM identity.tenants WHERE slug = @slug", db);
        command.Parameters.AddWithValue("slug", slug);
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    public static Task<T> ScalarAsync<T>(MoonflowApiFactory api, string sql, params (string Name, object Value)[] parameters) =>
        api.WithDbAsync(async db =>
        {
            await using var command = new NpgsqlCommand(sql, db);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            return (T)(await command.ExecuteScalarAsync())!;
        });

    /// <summary>Every item of a keyset list, page after page.</summary>
    public static async Task<List<JsonElement>> AllItemsAsync(HttpClient client, string url)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync($"{url}{(url.Contains('?') ? '&' : '?')}limit=200{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync();
            items.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.Clone()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return items;
    }

    public static async Task<List<JsonElement>> ItemsAsync(HttpClient client, string url)
    {
        var page = await (await client.GetAsync(url)).ReadJsonAsync();
        return page.GetProperty("items").EnumerateArray().Select(i => i.Clone()).ToList();
    }
}
