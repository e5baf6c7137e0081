using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Moonflow.Bench;

/// <summary>
/// The CRM processes (<c>BENCH_ONLY=crm</c>): 1,000,000 contacts with 3,000,000 call-history rows and 100,000 pending
/// agendas, seeded with one INSERT … SELECT per table and the indexes built afterwards; then each process through a fresh API process (accepted, frozen, run chunk by chunk,
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
        Console.WriteLine($"seeding {contacts:N0} contacts, {3 * contacts:N0} calls and {agendas:N0} agendas (INSERT … SELECT, indexes after)…");
        var watch = Stopwatch.StartNew();
        var seed = await SeedAsync(database, contacts, agendas);
        Console.WriteLine($"  done in {watch.Elapsed.TotalSeconds:F0} s");
        results.Add(("CRM volume (INSERT … SELECT)", $"{contacts:N0} contacts", $"{3 * contacts:N0} calls, {agendas:N0} pending agendas, seeded in {watch.Elapsed.TotalSeconds:F0} s"));

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
        var fromUsers = await ListAsync(connection, $"SELECT id FROM identity.users WHERE tenant_id = '{tenantId}' AND email IN ('seller@demo.test', 'agent@demo.test') ORDER BY email");
        var toUsers = await ListAsync(connection, $"SELECT id FROM identity.users WHERE tenant_id = '{tenantId}' AND email LIKE 'bench-agent-%' ORDER BY email");
        var (baseId, otherBaseId) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var lots = Enumerable.Range(0, 5).Select(_ => Guid.CreateVersion7()).ToArray();
        await Execute(connection, $"""
            INSERT INTO crm.bases (id, tenant_id, name, created_at) VALUES
                ('{baseId}', '{tenantId}', 'Bench base', now()), ('{otherBaseId}', '{tenantId}', 'Bench otra base', now());
            INSERT INTO crm.lots (id, tenant_id, name, loaded_at)
            SELECT l, '{tenantId}', 'Bench lote ' || ordinality, now() FROM unnest(ARRAY[{string.Join(',', lots.Select(l => $"'{l}'::uuid"))}]) WITH ORDINALITY AS l
            """);

        // One INSERT … SELECT generate_series per table, with the tables' indexes and keys dropped first and built once
        // afterwards (a sorted build instead of a million random B-tree and GIN insertions each). The tables stay logged,
        // as the measured processes find them in production. A contact's id is derived from its number (md5), so its calls
        // and agendas name it without a join; row n lies at the n-th place of the table.
        await Execute(connection, "SET maintenance_work_mem = '512MB'");
        var rebuild = await DropKeysAndIndexesAsync(connection, "crm.contacts", "crm.call_history", "crm.agendas");
        const string NoDetails = "{}";
        const string ContactId = "md5('bench-contact-' || {0})::uuid";
        var usersOf = $"(SELECT array_agg(id ORDER BY email) FROM identity.users WHERE tenant_id = '{tenantId}' AND is_active)";
        var subcategoriesOf = $"(SELECT array_agg(id ORDER BY name) FROM crm.subcategories WHERE tenant_id = '{tenantId}')";
        var lotArray = $"ARRAY[{string.Join(',', lots.Select(l => $"'{l}'::uuid"))}]";
        await Execute(connection, $"""
            INSERT INTO crm.contacts (id, tenant_id, name, document_type, document_number, phones, details, tags, do_not_call, lot_id, base_ids,
                                      attempts, last_contact_at, last_user_id, subcategory_id, dialable, created_at)
            SELECT {string.Format(CultureInfo.InvariantCulture, ContactId, "n")}, '{tenantId}', 'Contacto ' || n, 'CC', 'K' || lpad(n::text, 9, '0'),
                   ARRAY['+57 310' || lpad(n::text, 7, '0')], '{NoDetails}'::jsonb, ARRAY[]::text[], n % 50 = 0, ({lotArray})[1 + n % 5], ARRAY['{baseId}'::uuid],
                   1 + n % 6, now() - make_interval(mins => n), u[1 + n % cardinality(u)], s[1 + n % cardinality(s)], false, now()
            FROM generate_series(0, {contacts - 1}) n, {usersOf} AS us(u), {subcategoriesOf} AS ss(s)
            """);
        await Execute(connection, $"""
            INSERT INTO crm.call_history (id, tenant_id, contact_id, at, user_id, subcategory_id, duration_seconds, note)
            SELECT gen_random_uuid(), '{tenantId}', {string.Format(CultureInfo.InvariantCulture, ContactId, "n")},
                   now() - make_interval(mins => n, days => call), u[1 + (n + call) % cardinality(u)], s[1 + (n + call) % cardinality(s)],
                   30 + n % 300, 'Llamada de prueba'
            FROM generate_series(0, {contacts - 1}) n, generate_series(0, 2) call, {usersOf} AS us(u), {subcategoriesOf} AS ss(s)
            """);

        // Agendas of two users (seller and agent), to be handed to the three bench agents.
        await Execute(connection, $"""
            INSERT INTO crm.agendas (id, tenant_id, contact_id, owner_id, due_at, note, status, created_at)
            SELECT gen_random_uuid(), '{tenantId}', {string.Format(CultureInfo.InvariantCulture, ContactId, $"(n * 7 % {contacts})")},
                   (ARRAY['{fromUsers[0]}'::uuid, '{fromUsers[1]}'::uuid])[1 + n % 2], now() + make_interval(mins => n % 20000, days => 1),
                   'Volver a llamar', 'Pending', now()
            FROM generate_series(0, {agendas - 1}) n
            """);
        foreach (var statement in rebuild)
        {
            await Execute(connection, statement);
        }

        await Execute(connection, "CREATE TABLE bench_crm_seed AS SELECT id, attempts, subcategory_id, last_user_id FROM crm.contacts");
        await Execute(connection, "ALTER TABLE bench_crm_seed ADD PRIMARY KEY (id)");
        await Execute(connection, "VACUUM ANALYZE crm.contacts");
        await Execute(connection, "VACUUM ANALYZE crm.call_history");
        await Execute(connection, "VACUUM ANALYZE crm.agendas");
        return new Seed(tenantId, baseId, otherBaseId, lots[0], fromUsers, toUsers);
    }

    /// <summary>
    /// Drops the tables' indexes, primary and unique keys, and the foreign keys from or to them; returns the statements that
    /// put them back as the migrations made them (keys, then indexes, then foreign keys, which validate in one pass each).
    /// </summary>
    private static async Task<List<string>> DropKeysAndIndexesAsync(NpgsqlConnection connection, params string[] tables)
    {
        var oids = string.Join(',', tables.Select(t => $"'{t}'::regclass"));
        var constraints = new List<(string Drop, string Add, char Type)>();
        await using (var command = new NpgsqlCommand($"""
            SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),
                   format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid)), contype
            FROM pg_constraint
            WHERE contype IN ('p', 'u', 'f') AND (conrelid IN ({oids}) OR (contype = 'f' AND confrelid IN ({oids})))
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                constraints.Add((reader.GetString(0), reader.GetString(1), reader.GetChar(2)));
            }
        }

        var indexes = new List<(string Drop, string Add)>();
        await using (var command = new NpgsqlCommand($"""
            SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid IN ({oids}) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var c in constraints.OrderBy(c => c.Type == 'f' ? 0 : 1))
        {
            await Execute(connection, c.Drop);
        }

        foreach (var i in indexes)
        {
            await Execute(connection, i.Drop);
        }

        return [.. constraints.Where(c => c.Type != 'f').Select(c => c.Add), .. indexes.Select(i => i.Add), .. constraints.Where(c => c.Type == 'f').Select(c => c.Add)];
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
