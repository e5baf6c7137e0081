using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Moonflow.Bench;

/// <summary>
/// The CRM processes (<c>BENCH_ONLY=crm</c>): 1,000,000 contacts with 3,000,000 call-history rows and 100,000 pending
/// agendas, loaded with binary COPY; then each process through a fresh API process (accepted, frozen, run chunk by chunk,
/// items written, until it is finished), next to a hand-written SQL statement doing the same change on the same rows in
/// the same run, in a transaction rolled back. Each hand statement runs first and is followed by a VACUUM, so the API's run
/// finds the table as the hand statement did (no dead rows of its own left behind). <c>BENCH_CRM_CONTACTS</c> sizes a smoke run.
/// </summary>
internal static class CrmBench
{
    public static async Task RunAsync(string apiDll, string database, string storage, int apiPort, List<(string Measure, string Value, string Note)> results)
    {
        var contacts = int.TryParse(Environment.GetEnvironmentVariable("BENCH_CRM_CONTACTS"), CultureInfo.InvariantCulture, out var size) ? size : 1_000_000;
        var agendas = contacts / 10;
        await using var api = await ApiProcess.StartAsync(apiDll, database, storage, apiPort);
        Console.WriteLine($"seeding {contacts:N0} contacts, {3 * contacts:N0} calls and {agendas:N0} agendas (COPY)…");
        var watch = Stopwatch.StartNew();
        var seed = await SeedAsync(database, contacts, agendas);
        Console.WriteLine($"  done in {watch.Elapsed.TotalSeconds:F0} s");
        results.Add(("CRM volume (COPY)", $"{contacts:N0} contacts", $"{3 * contacts:N0} calls, {agendas:N0} pending agendas, seeded in {watch.Elapsed.TotalSeconds:F0} s"));

        var criteria = new { baseId = seed.BaseId };

        // The preview of a recycle of every contact: the three counts the screen shows before anything runs.
        for (var i = 0; i < 2; i++)
        {
            (await api.Http.PostAsJsonAsync("/api/v1/crm/contacts/recycle/preview", criteria)).EnsureSuccessStatusCode(); // warm-up
        }

        var times = new List<double>();
        JsonElement preview = default;
        for (var i = 0; i < 9; i++)
        {
            var call = Stopwatch.StartNew();
            var response = await api.Http.PostAsJsonAsync("/api/v1/crm/contacts/recycle/preview", criteria);
            preview = await response.Content.ReadFromJsonAsync<JsonElement>();
            call.Stop();
            response.EnsureSuccessStatusCode();
            times.Add(call.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        results.Add(($"recycle preview of {contacts:N0} contacts, p50 / p95", $"{times[4]:F0} / {times[8]:F0} ms",
            $"9 calls; matched {preview.GetProperty("matched").GetInt64():N0}, doNotCall {preview.GetProperty("doNotCall").GetInt64():N0}, willChange {preview.GetProperty("willChange").GetInt64():N0}; target < 1 s"));

        // Reprocess: the contacts of the base made dialable again, history kept; do-not-call ones left as they are.
        var hand = await HandAsync(database, "crm.contacts", $"""
            UPDATE crm.contacts SET attempts = 0, subcategory_id = NULL, last_user_id = NULL, dialable = true
            WHERE tenant_id = '{seed.TenantId}' AND base_ids @> ARRAY['{seed.BaseId}'::uuid] AND NOT do_not_call
            """);
        var run = await RunProcessAsync(api.Http, "/api/v1/crm/contacts/reprocess", criteria);
        Add(results, "reprocess", contacts, hand, run);
        await RestoreContactsAsync(database);

        // Recycle: the same, and their call history deleted.
        hand = await HandAsync(database, "crm.contacts", $"""
            WITH matched AS (
                SELECT id FROM crm.contacts
                WHERE tenant_id = '{seed.TenantId}' AND base_ids @> ARRAY['{seed.BaseId}'::uuid] AND NOT do_not_call),
            history AS (DELETE FROM crm.call_history h USING matched m WHERE h.contact_id = m.id)
            UPDATE crm.contacts c SET attempts = 0, subcategory_id = NULL, last_user_id = NULL, dialable = true
            FROM matched m WHERE c.id = m.id
            """, "crm.call_history");
        run = await RunProcessAsync(api.Http, "/api/v1/crm/contacts/recycle", criteria);
        Add(results, "recycle", contacts, hand, run);

        // Reassign: the pending agendas of two users dealt round-robin by due date to three others.
        var to = string.Join(',', seed.ToUserIds.Select(u => $"'{u}'::uuid"));
        var from = string.Join(',', seed.FromUserIds.Select(u => $"'{u}'::uuid"));
        hand = await HandAsync(database, "crm.agendas", $"""
            WITH dealt AS (
                SELECT id, row_number() OVER (ORDER BY due_at, id) - 1 AS n FROM crm.agendas
                WHERE tenant_id = '{seed.TenantId}' AND status = 'Pending' AND owner_id = ANY(ARRAY[{from}]))
            UPDATE crm.agendas a SET owner_id = (ARRAY[{to}])[1 + d.n % {seed.ToUserIds.Count}]
            FROM dealt d WHERE a.id = d.id
            """);
        run = await RunProcessAsync(api.Http, "/api/v1/crm/agendas/reassign", new { fromUserIds = seed.FromUserIds, toUserIds = seed.ToUserIds });
        Add(results, "reassign", agendas, hand, run);

        // Associate: a lot's contacts join a base none of them is in.
        hand = await HandAsync(database, "crm.contacts", $"""
            UPDATE crm.contacts SET base_ids = array_append(base_ids, '{seed.OtherBaseId}'::uuid)
            WHERE tenant_id = '{seed.TenantId}' AND lot_id = '{seed.LotId}' AND NOT base_ids @> ARRAY['{seed.OtherBaseId}'::uuid]
            """);
        run = await RunProcessAsync(api.Http, $"/api/v1/crm/bases/{seed.OtherBaseId}/associate", new { lotId = seed.LotId });
        Add(results, "associate a lot", contacts / 5, hand, run);
    }

    private static void Add(List<(string, string, string)> results, string name, long rows, (double Seconds, long Rows) hand, ProcessRun run)
    {
        results.Add(($"{name}: hand-written SQL", $"{hand.Seconds:F2} s", $"{hand.Rows:N0} rows changed, one statement, rolled back"));
        results.Add(($"{name}: through the API ({rows:N0} records)", $"{run.Seconds:F2} s",
            $"{run.Status}; {run.Succeeded:N0} succeeded, {run.Failed:N0} failed; accepted (ids frozen) in {run.AcceptSeconds:F2} s"));
        results.Add(($"{name}: API / hand SQL", $"{run.Seconds / hand.Seconds:F2}×", "target ≤ 1.5×"));
    }

    private sealed record Seed(Guid TenantId, Guid BaseId, Guid OtherBaseId, Guid LotId, IReadOnlyList<Guid> FromUserIds, IReadOnlyList<Guid> ToUserIds);

    private sealed record ProcessRun(double Seconds, double AcceptSeconds, string Status, long Succeeded, long Failed);

    private static async Task<ProcessRun> RunProcessAsync(HttpClient http, string url, object body)
    {
        var watch = Stopwatch.StartNew();
        var response = await http.PostAsJsonAsync(url, body);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var acceptSeconds = watch.Elapsed.TotalSeconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{url} refused: {accepted}");
        }

        var id = accepted.GetProperty("processId").GetGuid();
        while (true)
        {
            var process = await http.GetFromJsonAsync<JsonElement>($"/api/v1/processes/{id}");
            var status = process.GetProperty("status").GetString()!;
            if (status is not ("queued" or "running"))
            {
                watch.Stop();
                return new ProcessRun(watch.Elapsed.TotalSeconds, acceptSeconds, status, process.GetProperty("succeeded").GetInt64(), process.GetProperty("failed").GetInt64());
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The hand-written statement's time, rolled back; then the touched tables vacuumed for the API's run.</summary>
    private static async Task<(double Seconds, long Rows)> HandAsync(string database, string table, string sql, string? alsoTouched = null)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var watch = Stopwatch.StartNew();
        long rows;
        await using (var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 })
        {
            rows = await command.ExecuteNonQueryAsync();
        }

        watch.Stop();
        await transaction.RollbackAsync();
        await Execute(connection, $"VACUUM ANALYZE {table}");
        if (alsoTouched is not null)
        {
            await Execute(connection, $"VACUUM ANALYZE {alsoTouched}");
        }

        return (watch.Elapsed.TotalSeconds, rows);
    }

    /// <summary>Puts the contacts back as seeded (attempts, resolution, last user), so the recycle finds what the reprocess found.</summary>
    private static async Task RestoreContactsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await Execute(connection, """
            UPDATE crm.contacts c SET attempts = s.attempts, subcategory_id = s.subcategory_id, last_user_id = s.last_user_id, dialable = false
            FROM bench_crm_seed s WHERE c.id = s.id
            """);
        await Execute(connection, "VACUUM ANALYZE crm.contacts");
        await Execute(connection, "VACUUM ANALYZE processes.process_items");
        await Execute(connection, "VACUUM ANALYZE processes.process_targets");
    }

    private static async Task<Seed> SeedAsync(string database, int contacts, int agendas)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var tenantId = await ScalarAsync<Guid>(connection, "SELECT id FROM identity.tenants WHERE slug = 'demo'");
        // Three more agents to hand the agendas to (they never sign in, so any hash does).
        await Execute(connection, $"""
            INSERT INTO identity.users (id, tenant_id, email, display_name, password_hash, role, granted_permissions, is_active, created_at)
            SELECT gen_random_uuid(), '{tenantId}', 'bench-agent-' || g || '@demo.test', 'Agente ' || g, 'x', 'Agent', ARRAY[]::text[], true, now()
            FROM generate_series(1, 3) g
            """);
        var users = await ListAsync(connection, $"SELECT id FROM identity.users WHERE tenant_id = '{tenantId}' AND is_active ORDER BY email");
        var fromUsers = await ListAsync(connection, $"SELECT id FROM identity.users WHERE tenant_id = '{tenantId}' AND email IN ('seller@demo.test', 'agent@demo.test') ORDER BY email");
        var toUsers = await ListAsync(connection, $"SELECT id FROM identity.users WHERE tenant_id = '{tenantId}' AND email LIKE 'bench-agent-%' ORDER BY email");
        var subcategories = await ListAsync(connection, $"SELECT id FROM crm.subcategories WHERE tenant_id = '{tenantId}' ORDER BY name");
        var (baseId, otherBaseId) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var lots = Enumerable.Range(0, 5).Select(_ => Guid.CreateVersion7()).ToArray();
        await Execute(connection, $"""
            INSERT INTO crm.bases (id, tenant_id, name, created_at) VALUES
                ('{baseId}', '{tenantId}', 'Bench base', now()), ('{otherBaseId}', '{tenantId}', 'Bench otra base', now());
            INSERT INTO crm.lots (id, tenant_id, name, loaded_at)
            SELECT l, '{tenantId}', 'Bench lote ' || ordinality, now() FROM unnest(ARRAY[{string.Join(',', lots.Select(l => $"'{l}'::uuid"))}]) WITH ORDINALITY AS l
            """);

        var now = DateTimeOffset.UtcNow;
        var ids = new Guid[contacts];
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY crm.contacts (id, tenant_id, name, document_type, document_number, phones, details, tags, do_not_call, lot_id, base_ids, attempts, last_contact_at, last_user_id, subcategory_id, dialable, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            importer.Timeout = TimeSpan.FromMinutes(30);
            var baseIds = new[] { baseId };
            for (var n = 0; n < contacts; n++)
            {
                ids[n] = Guid.NewGuid();
                await importer.StartRowAsync();
                await importer.WriteAsync(ids[n], NpgsqlDbType.Uuid);
                await importer.WriteAsync(tenantId, NpgsqlDbType.Uuid);
                await importer.WriteAsync($"Contacto {n}", NpgsqlDbType.Varchar);
                await importer.WriteAsync("CC", NpgsqlDbType.Varchar);
                await importer.WriteAsync($"K{n:D9}", NpgsqlDbType.Varchar);
                await importer.WriteAsync(new[] { $"+57 310{n:D7}" }, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await importer.WriteAsync("{}", NpgsqlDbType.Jsonb);
                await importer.WriteAsync(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                await importer.WriteAsync(n % 50 == 0, NpgsqlDbType.Boolean);
                await importer.WriteAsync(lots[n % 5], NpgsqlDbType.Uuid);
                await importer.WriteAsync(baseIds, NpgsqlDbType.Array | NpgsqlDbType.Uuid);
                await importer.WriteAsync(1 + n % 6, NpgsqlDbType.Integer);
                await importer.WriteAsync(now.AddMinutes(-n), NpgsqlDbType.TimestampTz);
                await importer.WriteAsync(users[n % users.Count], NpgsqlDbType.Uuid);
                await importer.WriteAsync(subcategories[n % subcategories.Count], NpgsqlDbType.Uuid);
                await importer.WriteAsync(false, NpgsqlDbType.Boolean);
                await importer.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }

            await importer.CompleteAsync();
        }

        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY crm.call_history (id, tenant_id, contact_id, at, user_id, subcategory_id, duration_seconds, note) FROM STDIN (FORMAT BINARY)"))
        {
            importer.Timeout = TimeSpan.FromMinutes(30);
            for (var n = 0; n < contacts; n++)
            {
                for (var call = 0; call < 3; call++)
                {
                    await importer.StartRowAsync();
                    await importer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                    await importer.WriteAsync(tenantId, NpgsqlDbType.Uuid);
                    await importer.WriteAsync(ids[n], NpgsqlDbType.Uuid);
                    await importer.WriteAsync(now.AddMinutes(-n).AddDays(-call), NpgsqlDbType.TimestampTz);
                    await importer.WriteAsync(users[(n + call) % users.Count], NpgsqlDbType.Uuid);
                    await importer.WriteAsync(subcategories[(n + call) % subcategories.Count], NpgsqlDbType.Uuid);
                    await importer.WriteAsync(30 + n % 300, NpgsqlDbType.Integer);
                    await importer.WriteAsync("Llamada de prueba", NpgsqlDbType.Varchar);
                }
            }

            await importer.CompleteAsync();
        }

        // Agendas of two users (seller and agent), to be handed to the three bench agents.
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY crm.agendas (id, tenant_id, contact_id, owner_id, due_at, note, status, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            importer.Timeout = TimeSpan.FromMinutes(30);
            for (var n = 0; n < agendas; n++)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                await importer.WriteAsync(tenantId, NpgsqlDbType.Uuid);
                await importer.WriteAsync(ids[n * 7 % contacts], NpgsqlDbType.Uuid);
                await importer.WriteAsync(fromUsers[n % 2], NpgsqlDbType.Uuid);
                await importer.WriteAsync(now.AddMinutes(n % 20_000).AddDays(1), NpgsqlDbType.TimestampTz);
                await importer.WriteAsync("Volver a llamar", NpgsqlDbType.Varchar);
                await importer.WriteAsync("Pending", NpgsqlDbType.Varchar);
                await importer.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }

            await importer.CompleteAsync();
        }

        await Execute(connection, "CREATE TABLE bench_crm_seed AS SELECT id, attempts, subcategory_id, last_user_id FROM crm.contacts");
        await Execute(connection, "ALTER TABLE bench_crm_seed ADD PRIMARY KEY (id)");
        await Execute(connection, "VACUUM ANALYZE crm.contacts");
        await Execute(connection, "VACUUM ANALYZE crm.call_history");
        await Execute(connection, "VACUUM ANALYZE crm.agendas");
        return new Seed(tenantId, baseId, otherBaseId, lots[0], fromUsers, toUsers);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<Guid>> ListAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<Guid>();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetGuid(0));
        }

        return list;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
