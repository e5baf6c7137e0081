using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Common.Trays;
using Npgsql;

namespace Moonflow.Api.Tests.Exports;

/// <summary>
/// The download files against the trays' own counts: for every filter, the csv (COPY-formatted) and the xlsx hold
/// exactly the rows the tray counts for the preview, in the same order, with the same values.
/// </summary>
public sealed class TrayFileTests(TrayFilesFactory api) : IClassFixture<TrayFilesFactory>
{
    private static readonly TimeZoneInfo Bogota = TimeZoneInfo.FindSystemTimeZoneById("America/Bogota");

    [Fact]
    public async Task Files_ForEveryFilter_HoldExactlyTheCountedRows_InBothFormats()
    {
        var sample = await api.WithDbAsync(async db => new
        {
            Campaign = await ScalarAsync<string>(db, "SELECT campaign FROM interactions.interactions WHERE campaign IS NOT NULL LIMIT 1"),
            Template = await ScalarAsync<string>(db, "SELECT template FROM interactions.interactions WHERE template IS NOT NULL LIMIT 1"),
            Advisor = await ScalarAsync<Guid>(db, "SELECT advisor_id FROM interactions.interactions WHERE advisor_id IS NOT NULL LIMIT 1"),
            InteractionClient = await ScalarAsync<Guid>(db, "SELECT client_id FROM interactions.interactions LIMIT 1"),
            OrderClient = await ScalarAsync<Guid>(db, "SELECT client_id FROM receivables.payment_orders LIMIT 1"),
            Tag = await ScalarAsync<string>(db, "SELECT tags[1] FROM receivables.clients WHERE cardinality(tags) > 0 LIMIT 1"),
        });
        var today = ExportTestSupport.DemoToday;
        var cases = new (string Tray, int Days, object Filters)[]
        {
            ("interactions", 45, new { }),
            ("interactions", 45, new { directions = new[] { "inbound" } }),
            ("interactions", 45, new { statuses = new[] { "read", "failed" }, channels = new[] { "email", "sms" } }),
            ("interactions", 45, new { campaign = sample.Campaign }),
            ("interactions", 45, new { template = sample.Template, advisorId = sample.Advisor }),
            ("interactions", 45, new { clientId = sample.InteractionClient }),
            ("clients", 60, new { }),
            ("clients", 60, new { search = "10" }),
            ("clients", 60, new { search = "AN" }),
            ("clients", 60, new { documentType = "nit" }),
            ("clients", 60, new { tag = sample.Tag }),
            ("payment-orders", 60, new { }),
            ("payment-orders", 60, new { statuses = new[] { "paid", "overdue" } }),
            ("payment-orders", 60, new { clientId = sample.OrderClient, dueFrom = today.AddDays(-30), dueTo = today.AddDays(30) }),
        };

        var nonEmpty = 0;
        foreach (var (tray, days, filters) in cases)
        {
            await using var scope = await api.TenantScopeAsync("demo");
            var source = scope.ServiceProvider.GetServices<ITraySource>().Single(s => s.Tray == tray);
            var bound = source.BindFilters(JsonSerializer.SerializeToElement(filters));
            var range = new TrayRange(today.AddDays(1 - days), today, Bogota);
            var counted = await source.CountAsync(range, bound, CancellationToken.None);

            var csv = await WriteAsync(scope, new TrayFile(tray, scope.TenantId, range, bound, source.Columns, SpreadsheetFormat.Csv));
            var xlsx = await WriteAsync(scope, new TrayFile(tray, scope.TenantId, range, bound, source.Columns, SpreadsheetFormat.Xlsx));

            var label = $"{tray} {JsonSerializer.Serialize(filters)}";
            Assert.True(counted == csv.Written, $"{label}: counted {counted}, csv wrote {csv.Written}");
            Assert.True(counted == xlsx.Written, $"{label}: counted {counted}, xlsx wrote {xlsx.Written}");
            var csvRows = await ReadAsync(scope, csv.Bytes, SpreadsheetFormat.Csv);
            var xlsxRows = await ReadAsync(scope, xlsx.Bytes, SpreadsheetFormat.Xlsx);
            Assert.Equal(counted + 1, csvRows.Count);
            Assert.Equal(source.Columns.Select(c => c.LabelEs), csvRows[0]);
            Assert.Equal(csvRows.Count, xlsxRows.Count);
            for (var r = 1; r < csvRows.Count; r++)
            {
                Assert.True(SameRow(source.Columns, csvRows[r], xlsxRows[r]), $"{label}, row {r}: csv [{string.Join("|", csvRows[r])}] xlsx [{string.Join("|", xlsxRows[r])}]");
            }

            nonEmpty += counted > 0 ? 1 : 0;
        }

        Assert.True(nonEmpty >= cases.Length - 2, "the demo data should match most filters, or the comparison proves little");
    }

    [Fact]
    public async Task Csv_WithAwkwardText_IsRfc4180_WithLocalTimes_AndFormulasNeutralised()
    {
        var sentAt = new DateTimeOffset(2026, 3, 9, 22, 30, 5, TimeSpan.Zero); // 17:30:05 in Bogota
        await api.WithDbAsync(async db =>
        {
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO interactions.interactions (id, tenant_id, client_id, client_document_type, client_document_number, client_name, direction, channel,
                    status, sent_at, send_at, campaign, template, recipients, message, source, created_at)
                SELECT gen_random_uuid(), c.tenant_id, c.id, c.document_type, c.document_number, c.name, 'Outbound', 'Email', 'Read', @sent, @sent,
                    '=cmd|'' /C calc''!A0', '-template', '+573001234567', @message, 'Imported', now()
                FROM receivables.clients c JOIN identity.tenants t ON t.id = c.tenant_id AND t.slug = 'demo' LIMIT 1
                """, db);
            insert.Parameters.AddWithValue("sent", sentAt);
            insert.Parameters.AddWithValue("message", "Hola, \"Ana\"\nsegunda línea");
            return await insert.ExecuteNonQueryAsync();
        });

        await using var scope = await api.TenantScopeAsync("demo");
        var source = scope.ServiceProvider.GetServices<ITraySource>().Single(s => s.Tray == "interactions");
        var columns = new[] { "message", "campaign", "template", "recipients", "sentAt", "status", "direction" }.Select(k => source.Columns.Single(c => c.Key == k)).ToList();
        var day = new DateOnly(2026, 3, 9);
        var file = new TrayFile("interactions", scope.TenantId, new TrayRange(day, day, Bogota), source.BindFilters(null), columns, SpreadsheetFormat.Csv);

        var (written, bytes) = await WriteAsync(scope, file);

        Assert.Equal(1, written);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes.Take(3));
        Assert.Equal(
            "Mensaje,Flujo / evento / campaña,Plantilla,Destinatarios,Fecha de envío real,Estado,Tipo de comunicación\r\n"
            + "\"Hola, \"\"Ana\"\"\nsegunda línea\",'=cmd|' /C calc'!A0,'-template,'+573001234567,2026-03-09 17:30:05,read,outbound\r\n",
            Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
    }

    private static async Task<(long Written, byte[] Bytes)> WriteAsync(TenantScope scope, TrayFile file)
    {
        using var output = new MemoryStream();
        var written = await scope.ServiceProvider.GetRequiredService<ITrayFileWriter>().WriteAsync(output, file, null, CancellationToken.None);
        return (written, output.ToArray());
    }

    private static async Task<List<IReadOnlyList<string?>>> ReadAsync(TenantScope scope, byte[] bytes, SpreadsheetFormat format)
    {
        var rows = new List<IReadOnlyList<string?>>();
        await foreach (var row in scope.ServiceProvider.GetRequiredService<ISpreadsheetReader>().ReadRowsAsync(new MemoryStream(bytes), format, CancellationToken.None))
        {
            rows.Add(row.Cells);
        }

        return rows;
    }

    /// <summary>Text compares as text; typed cells by value (the reader gives a workbook's dates as ISO text, the csv its own way).</summary>
    private static bool SameRow(IReadOnlyList<TrayColumn> columns, IReadOnlyList<string?> csv, IReadOnlyList<string?> xlsx)
    {
        for (var c = 0; c < columns.Count; c++)
        {
            var (a, b) = (c < csv.Count ? csv[c] : null, c < xlsx.Count ? xlsx[c] : null);
            var same = columns[c].Kind switch
            {
                CellKind.DateTime or CellKind.Date when a is not null && b is not null =>
                    DateTime.Parse(a, CultureInfo.InvariantCulture) == DateTime.Parse(b, CultureInfo.InvariantCulture),
                CellKind.Money or CellKind.Decimal or CellKind.Integer when a is not null && b is not null =>
                    decimal.Parse(a, CultureInfo.InvariantCulture) == decimal.Parse(b, NumberStyles.Float, CultureInfo.InvariantCulture),
                _ => string.IsNullOrEmpty(a) ? string.IsNullOrEmpty(b) : a == b,
            };
            if (!same)
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>Its own database: the tests add awkward rows.</summary>
public sealed class TrayFilesFactory : MoonflowApiFactory;
