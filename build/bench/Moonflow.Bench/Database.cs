using System.Diagnostics;
using System.Globalization;
using System.Text;
using Moonflow.Application.Common.Paging;
using Npgsql;

namespace Moonflow.Bench;

/// <summary>A row of the upload, with what the COPY baseline needs besides what the file says.</summary>
internal sealed record UploadRow(string DocumentType, string DocumentNumber, Guid ClientId, string ClientName, Guid TenantId, string Channel, DateTimeOffset SentAt, string Recipients, string Status);

internal static class Database
{
    public static async Task RecreateAsync(string server, string name)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await Execute(connection, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        await Execute(connection, $"CREATE DATABASE {name}");
    }

    public static async Task<TimeSpan> SeedInteractionsAsync(string database, int count)
    {
        var watch = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await Execute(connection, """
            INSERT INTO receivables.clients (id, tenant_id, document_type, document_number, name, tags, created_at)
            SELECT gen_random_uuid(), t.id, 'CC', 'B' || lpad(g::text, 7, '0'), 'Bench client ' || g, '{}', now()
            FROM identity.tenants t, generate_series(1, 20000) g WHERE t.slug = 'demo'
            """);
        await Execute(connection, $"""
            WITH numbered AS (SELECT row_number() OVER (ORDER BY id) - 1 AS n, * FROM receivables.clients WHERE document_number LIKE 'B%'),
                 total AS (SELECT count(*) AS k FROM numbered)
            INSERT INTO interactions.interactions (id, tenant_id, client_id, client_document_type, client_document_number, client_name,
                direction, channel, status, sent_at, send_at, campaign, template, recipients, message, source, created_at)
            SELECT gen_random_uuid(), c.tenant_id, c.id, c.document_type, c.document_number, c.name, 'Outbound',
                   (ARRAY['Whatsapp','Sms','Email','Voice','Push'])[1 + g % 5],
                   (ARRAY['Sent','Delivered','Read','Unread','Failed','Read','Delivered'])[1 + g % 7],
                   now() - make_interval(secs => g * 3), now() - make_interval(secs => g * 3),
                   'Campaña ' || (g % 20), 'plantilla_' || (g % 8), '+57 300' || lpad((g % 10000000)::text, 7, '0'),
                   'Mensaje de prueba número ' || g, 'Platform', now()
            FROM generate_series(1, {count}) g CROSS JOIN total JOIN numbered c ON c.n = g % total.k
            """);
        await Execute(connection, "ANALYZE interactions.interactions");
        return watch.Elapsed;
    }

    /// <summary>The cursor the API would return after <paramref name="offset"/> rows of the benchmark's filtered list.</summary>
    public static async Task<string> CursorAtAsync(string database, int offset)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            SELECT i.send_at, i.id FROM interactions.interactions i JOIN identity.tenants t ON t.id = i.tenant_id AND t.slug = 'demo'
            WHERE channel IN ('Whatsapp', 'Sms') AND status IN ('Read', 'Delivered')
            ORDER BY i.send_at DESC, i.id DESC OFFSET {offset} LIMIT 1
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Cursor(reader.GetFieldValue<DateTimeOffset>(0), reader.GetGuid(1)).Encode();
    }

    public static async Task<List<UploadRow>> UploadRowsAsync(string database, int count)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, tenant_id, document_type, document_number, name FROM receivables.clients WHERE document_number LIKE 'B%' ORDER BY id", connection);
        var clients = new List<(Guid Id, Guid Tenant, string Type, string Number, string Name)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                clients.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
            }
        }

        string[] channels = ["Whatsapp", "Sms", "Email", "Voice"];
        string[] statuses = ["Sent", "Delivered", "Read", "Unread", "Failed"];
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(-5));
        return Enumerable.Range(0, count).Select(i =>
        {
            var client = clients[i % clients.Count];
            return new UploadRow(client.Type, client.Number, client.Id, client.Name, client.Tenant, channels[i % 4], start.AddMinutes(i), $"+57 31{i:D8}", statuses[i % 5]);
        }).ToList();
    }

    /// <summary>COPY of the same rows (CSV) into a table shaped like interactions, with the same indexes.</summary>
    /// <summary>
    /// Seconds for PostgreSQL's own COPY of the rows from CSV. Into the interactions table itself (its million rows,
    /// indexes and foreign keys: the very work an upload does), in a transaction rolled back afterwards; or, with
    /// <paramref name="intoEmptyCopy"/>, into an empty table with the same indexes, where every index is small and cached.
    /// </summary>
    public static async Task<double> CopyBaselineAsync(string database, IReadOnlyList<UploadRow> rows, bool intoEmptyCopy)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var table = "interactions.interactions";
        if (intoEmptyCopy)
        {
            table = "interactions.copy_baseline";
            await Execute(connection, "DROP TABLE IF EXISTS interactions.copy_baseline");
            await Execute(connection, "CREATE TABLE interactions.copy_baseline (LIKE interactions.interactions INCLUDING ALL)");
        }

        var csv = new StringBuilder();
        foreach (var r in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Guid.CreateVersion7()},{r.TenantId},{r.ClientId},{r.DocumentType},{r.DocumentNumber},\"{r.ClientName}\",Outbound,{r.Channel},{r.Status},{r.SentAt.UtcDateTime:O},{r.SentAt.UtcDateTime:O},\"{r.Recipients}\",Imported,{DateTime.UtcNow:O}\n");
        }

        await using var transaction = await connection.BeginTransactionAsync();
        var watch = Stopwatch.StartNew();
        await using (var writer = await connection.BeginTextImportAsync(
            $"COPY {table} (id, tenant_id, client_id, client_document_type, client_document_number, client_name, direction, channel, status, sent_at, send_at, recipients, source, created_at) FROM STDIN (FORMAT CSV)"))
        {
            await writer.WriteAsync(csv.ToString());
        }

        watch.Stop();
        await transaction.RollbackAsync();
        if (intoEmptyCopy)
        {
            await Execute(connection, "DROP TABLE interactions.copy_baseline");
        }
        else
        {
            await Execute(connection, "VACUUM interactions.interactions");
        }

        return watch.Elapsed.TotalSeconds;
    }

    public static async Task DeleteImportedAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await Execute(connection, "DELETE FROM interactions.interactions WHERE source = 'Imported'");
        await Execute(connection, "VACUUM ANALYZE interactions.interactions");
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}

internal static class UploadFiles
{
    private static readonly string[] Headers = ["Tipo de documento", "Número de documento", "Canal", "Fecha de envío", "Destinatarios", "Estado"];

    public static byte[] Csv(IReadOnlyList<UploadRow> rows)
    {
        var csv = new StringBuilder(string.Join(',', Headers)).Append("\r\n");
        foreach (var r in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{r.DocumentType},{r.DocumentNumber},{r.Channel},{r.SentAt:yyyy-MM-dd HH:mm},{r.Recipients},{r.Status}\r\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    public static byte[] Xlsx(IReadOnlyList<UploadRow> rows)
    {
        using var package = new OfficeOpenXml.ExcelPackage();
        var sheet = package.Workbook.Worksheets.Add("Comunicaciones");
        for (var c = 0; c < Headers.Length; c++)
        {
            sheet.Cells[1, c + 1].Value = Headers[c];
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            sheet.Cells[i + 2, 1].Value = r.DocumentType;
            sheet.Cells[i + 2, 2].Value = r.DocumentNumber;
            sheet.Cells[i + 2, 3].Value = r.Channel;
            sheet.Cells[i + 2, 4].Value = r.SentAt.DateTime;
            sheet.Cells[i + 2, 4].Style.Numberformat.Format = "yyyy-mm-dd hh:mm";
            sheet.Cells[i + 2, 5].Value = r.Recipients;
            sheet.Cells[i + 2, 6].Value = r.Status;
        }

        return package.GetAsByteArray();
    }
}
