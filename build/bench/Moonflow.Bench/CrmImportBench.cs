using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Moonflow.Bench;

/// <summary>
/// The CRM imports at 100,000 rows through the API (a fresh process each, so its peak memory is the import's), each next
/// to the hand-written work in the same run: binary COPY of the same contacts into crm.contacts (rolled back) for the load,
/// and a staged copy applied with one UPDATE … FROM (rolled back) for the update by key.
/// </summary>
internal static class CrmImportBench
{
    private const int Rows = 100_000;

    public static async Task RunAsync(string apiDll, string database, string storage, int port, List<(string Measure, string Value, string Note)> results)
    {
        var prefix = "7" + DateTime.UtcNow.ToString("MMddHHmm", CultureInfo.InvariantCulture);
        var documents = Enumerable.Range(0, Rows).Select(i => prefix + i.ToString("D7", CultureInfo.InvariantCulture)).ToList();
        var load = Csv("Tipo de documento,Número de documento,Nombre,Teléfonos\r\n", documents.Select((d, i) => $"CC,{d},Contacto {i},+57 300{d[^7..]}"));
        var update = Csv("Número de documento,Correo\r\n", documents.Select(d => $"{d},c{d}@example.com"));

        Guid tenant;
        await using (var api = await ApiProcess.StartAsync(apiDll, database, storage, port))
        {
            tenant = await ScalarAsync<Guid>(database, "SELECT id FROM identity.tenants WHERE slug = 'demo'");
        }

        // The load puts every contact in its lot, so the baseline does too (the lot's foreign key is checked per row);
        // COPY without the lot is shown beside it.
        var bareSeconds = await CopyBaselineAsync(database, tenant, documents, inLot: false);
        results.Add(("COPY (binary) of 100,000 contacts into crm.contacts, no lot", $"{Rows / bareSeconds:N0} rows/s", $"{bareSeconds:F2} s; rolled back; for reference"));
        var copySeconds = await CopyBaselineAsync(database, tenant, documents, inLot: true);
        var copyRate = Rows / copySeconds;
        results.Add(("COPY (binary) of 100,000 contacts into crm.contacts, in a lot", $"{copyRate:N0} rows/s", $"{copySeconds:F2} s; rolled back"));

        var (loadSeconds, loadStatus, loadDone, loadBaseMb, loadPeakMb) = await UploadAsync(
            apiDll, database, storage, port, "/api/v1/crm/imports/contacts", load, new() { ["lotName"] = $"bench-{prefix}" });
        results.Add(("contacts load of 100,000 rows (csv) through the API", $"{Rows / loadSeconds:N0} rows/s", $"{loadStatus}, {loadDone:N0} succeeded, {loadSeconds:F1} s"));
        results.Add(("contacts load / COPY", $"{Rows / loadSeconds / copyRate:P0}", $"target ≥ 50%; {Rows / loadSeconds / (Rows / bareSeconds):P0} of COPY without the lot"));
        results.Add(("API peak memory during the contacts load", $"{loadPeakMb:F0} MB", $"{loadBaseMb:F0} MB before; target < 400 MB"));

        var handSeconds = await HandUpdateAsync(database, tenant, documents);
        results.Add(("hand-written UPDATE … FROM a staged copy (COPY + UPDATE), 100,000 rows", $"{handSeconds:F2} s", "rolled back"));
        var (updateSeconds, updateStatus, updateDone, updateBaseMb, updatePeakMb) = await UploadAsync(
            apiDll, database, storage, port, "/api/v1/crm/imports/update", update, new() { ["keys"] = "documentNumber", ["fields"] = "email" });
        results.Add(("update by key of 100,000 rows (csv) through the API", $"{updateSeconds:F1} s", $"{updateStatus}, {updateDone:N0} succeeded"));
        results.Add(("update by key / hand-written statement", $"{updateSeconds / handSeconds:F2}×", "target ≤ 2×"));
        results.Add(("API peak memory during the update", $"{updatePeakMb:F0} MB", $"{updateBaseMb:F0} MB before; target < 400 MB"));
    }

    private static byte[] Csv(string header, IEnumerable<string> lines)
    {
        var csv = new StringBuilder(header);
        foreach (var line in lines)
        {
            csv.Append(line).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static async Task<double> CopyBaselineAsync(string database, Guid tenant, IReadOnlyList<string> documents, bool inLot)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        Guid? lot = null;
        if (inLot)
        {
            lot = Guid.CreateVersion7();
            await using var create = new NpgsqlCommand("INSERT INTO crm.lots (id, tenant_id, name, loaded_at) VALUES ($1, $2, 'bench-copy', now())", connection);
            create.Parameters.Add(new NpgsqlParameter { Value = lot.Value });
            create.Parameters.Add(new NpgsqlParameter { Value = tenant });
            await create.ExecuteNonQueryAsync();
        }

        var watch = Stopwatch.StartNew();
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY crm.contacts (id, tenant_id, name, document_type, document_number, phones, details, tags, do_not_call, lot_id, base_ids, attempts, dialable, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < documents.Count; i++)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await importer.WriteAsync(tenant, NpgsqlDbType.Uuid);
                await importer.WriteAsync($"Contacto {i}", NpgsqlDbType.Text);
                await importer.WriteAsync("CC", NpgsqlDbType.Text);
                await importer.WriteAsync(documents[i], NpgsqlDbType.Text);
                await importer.WriteAsync(new[] { "+57 300" + documents[i][^7..] }, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await importer.WriteAsync("{}", NpgsqlDbType.Jsonb);
                await importer.WriteAsync(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                await importer.WriteAsync(false, NpgsqlDbType.Boolean);
                if (lot is { } lotId)
                {
                    await importer.WriteAsync(lotId, NpgsqlDbType.Uuid);
                }
                else
                {
                    await importer.WriteNullAsync();
                }

                await importer.WriteAsync(Array.Empty<Guid>(), NpgsqlDbType.Array | NpgsqlDbType.Uuid);
                await importer.WriteAsync(0, NpgsqlDbType.Integer);
                await importer.WriteAsync(true, NpgsqlDbType.Boolean);
                await importer.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }

            await importer.CompleteAsync();
        }

        watch.Stop();
        await transaction.RollbackAsync();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>What the update does, written by hand: the rows COPYed into a temporary table, then one UPDATE … FROM it.</summary>
    private static async Task<double> HandUpdateAsync(string database, Guid tenant, IReadOnlyList<string> documents)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var watch = Stopwatch.StartNew();
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE staged (document_number text, email text) ON COMMIT DROP", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var importer = await connection.BeginBinaryImportAsync("COPY staged (document_number, email) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var document in documents)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(document, NpgsqlDbType.Text);
                await importer.WriteAsync($"c{document}@example.com", NpgsqlDbType.Text);
            }

            await importer.CompleteAsync();
        }

        await using (var updateCommand = new NpgsqlCommand(
            "UPDATE crm.contacts c SET email = s.email FROM staged s WHERE c.tenant_id = $1 AND c.document_number = s.document_number AND c.email IS DISTINCT FROM s.email",
            connection))
        {
            updateCommand.Parameters.Add(new NpgsqlParameter { Value = tenant });
            var updated = await updateCommand.ExecuteNonQueryAsync();
            if (updated != documents.Count)
            {
                throw new InvalidOperationException($"The hand-written update changed {updated} rows, not {documents.Count}.");
            }
        }

        watch.Stop();
        await transaction.RollbackAsync();
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task<(double Seconds, string Status, long Succeeded, double BaselineMb, double PeakMb)> UploadAsync(
        string apiDll, string database, string storage, int port, string url, byte[] file, Dictionary<string, string> fields)
    {
        await using var api = await ApiProcess.StartAsync(apiDll, database, storage, port);
        var baseline = api.PeakMemoryMb();
        var content = new MultipartFormDataContent();
        foreach (var (key, value) in fields)
        {
            content.Add(new StringContent(value), key);
        }

        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, "file", "bench.csv");
        var watch = Stopwatch.StartNew();
        var response = await api.Http.PostAsync(url, content);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{url} refused: {accepted}");
        }

        var id = accepted.GetProperty("processId").GetGuid();
        while (true)
        {
            var process = await api.Http.GetFromJsonAsync<JsonElement>($"/api/v1/processes/{id}");
            var status = process.GetProperty("status").GetString()!;
            if (status is not ("queued" or "running"))
            {
                watch.Stop();
                return (watch.Elapsed.TotalSeconds, status, process.GetProperty("succeeded").GetInt64(), baseline, api.PeakMemoryMb());
            }

            await Task.Delay(100);
        }
    }

    private static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
