using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Moonflow.Api.Tests.Exports;
using Moonflow.Api.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace Moonflow.Api.Tests.Platform;

/// <summary>
/// Scale-out with real processes: two API nodes and one worker node on one database and one file store. Sixty processes of
/// mixed kinds go in through both APIs; the worker is killed with SIGKILL in the middle of a long download and started
/// again. The database's runner leases and Hangfire's sliding invisibility must bring every process to its end exactly
/// once, the download resuming within two minutes of the death.
/// </summary>
public sealed class MultiNodeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int DownloadRows = 500_000;
    private const int TagGroups = 40;
    private const int ClientsPerTagGroup = 150;
    private const int Uploads = 15;
    private const int RowsPerUpload = 300;
    private const int BadRowsPerUpload = 10;

    private readonly string _database = $"mf_cluster_{Guid.NewGuid():N}";
    private readonly string _storage = Path.Combine(Path.GetTempPath(), "moonflow-tests", $"cluster-{Guid.NewGuid():N}");
    private string _connectionString = string.Empty;

    public async Task InitializeAsync()
    {
        var server = Environment.GetEnvironmentVariable("MOONFLOW_TEST_DB")
            ?? throw new InvalidOperationException("MOONFLOW_TEST_DB is not set: run the tests with build/test.sh, which starts PostgreSQL.");
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", connection);
        await create.ExecuteNonQueryAsync();
        _connectionString = new NpgsqlConnectionStringBuilder(server) { Database = _database }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var server = Environment.GetEnvironmentVariable("MOONFLOW_TEST_DB")!;
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
        if (Directory.Exists(_storage))
        {
            Directory.Delete(_storage, recursive: true);
        }
    }

    [Fact]
    public async Task Cluster_WhenTheWorkerIsKilledMidDownload_EveryProcessEndsOnceWithCountsThatAddUp()
    {
        // Only the worker runs jobs, so the download is surely on the node that dies. The APIs' defaults otherwise.
        var clock = Stopwatch.StartNew();
        await using var apiA = await ClusterNode.StartApiAsync("api-a", Node(("Jobs__RunServer", "false")));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0} s: first API node ready");
        await SeedAsync();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0} s: {DownloadRows:N0} interactions seeded");
        await using var apiB = await ClusterNode.StartApiAsync("api-b", Node(("Jobs__RunServer", "false"), ("Seed__DemoData", "false")));
        var worker = await ClusterNode.StartWorkerAsync("worker", Node(("Jobs__WorkerCount", "4")));
        try
        {
            var adminA = await apiA.SignInAsync("admin@demo.test", "demo");
            var sellerB = await apiB.SignInAsync("seller@demo.test", "demo");
            var acmeA = await apiA.SignInAsync("admin@acme.test", "acme");
            var acmeB = await apiB.SignInAsync("admin@acme.test", "acme");
            var adminB = await apiB.SignInAsync("admin@demo.test", "demo");

            var processes = new List<Submitted>();
            processes.AddRange(await Task.WhenAll(Enumerable.Range(0, TagGroups).Select(i =>
                BulkTagAsync(i % 2 == 0 ? sellerB : adminA, i % 3 == 0 ? acmeB : acmeA, i))));
            processes.AddRange(await Task.WhenAll(Enumerable.Range(0, Uploads).Select(i => UploadAsync(i % 2 == 0 ? adminA : sellerB, i))));
            processes.AddRange(await Task.WhenAll(
                OnlineDownloadAsync(sellerB, "demo", "clients"), OnlineDownloadAsync(adminA, "demo", "payment-orders"),
                OnlineDownloadAsync(acmeA, "acme", "clients"), OnlineDownloadAsync(acmeB, "acme", "payment-orders")));

            // The long download goes last: submitting the others takes a while, and on a quiet machine a download sent
            // first could end before the worker is killed.
            var download = await StartLongDownloadAsync(adminA);
            processes.Add(download);
            Assert.Equal(60, processes.Count);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0} s: 60 processes submitted through both API nodes");

            // The worker dies once the download is visibly in the middle of its file.
            var midway = await WaitForAsync(adminB, download.ProcessId, p => p.GetProperty("processed").GetInt64() > 0 || Finished(p), TimeSpan.FromMinutes(3));
            await worker.KillAsync();
            var killedAt = Stopwatch.StartNew();
            var atDeath = await StatusAsync(download.ProcessId);
            Assert.True(atDeath.Status == "Running", $"The download ended before the worker was killed ({atDeath.Status}); it must be longer.");
            output.WriteLine($"worker killed with the download at {atDeath.Processed:N0} of {download.Expected:N0} rows (shown {midway.GetProperty("processed").GetInt64():N0})");

            await using var restarted = await ClusterNode.StartWorkerAsync("worker-again", Node(("Jobs__WorkerCount", "4")));
            await WaitForAsync(adminA, download.ProcessId, p => p.GetProperty("processed").GetInt64() != atDeath.Processed || Finished(p), TimeSpan.FromMinutes(3));
            var resumedAfter = killedAt.Elapsed;
            output.WriteLine($"the download resumed {resumedAfter.TotalSeconds:0} s after the death");
            Assert.True(resumedAfter < TimeSpan.FromMinutes(2), $"the download resumed only {resumedAfter.TotalSeconds:0} s after the worker died");

            foreach (var process in processes)
            {
                // Every process, whatever its kind, ends with counts that add up.
                var client = process.Tenant == "acme" ? acmeA : adminA;
                var done = await WaitForAsync(client, process.ProcessId, Finished, TimeSpan.FromMinutes(5));
                Assert.True(done.GetProperty("status").GetString() is "completed" or "completed_with_errors", $"{process.Kind} ended {done}");
                var (total, processed, succeeded, failed) = (
                    done.GetProperty("total").GetInt64(), done.GetProperty("processed").GetInt64(),
                    done.GetProperty("succeeded").GetInt64(), done.GetProperty("failed").GetInt64());
                Assert.Equal(total, processed);
                Assert.Equal(processed, succeeded + failed);
                Assert.Equal(process.Expected, processed);
            }

            output.WriteLine($"{clock.Elapsed.TotalSeconds:0} s: every process ended");
            Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM processes.bulk_processes WHERE status IN ('Queued', 'Running')"));
            await AssertItemsExactlyOnceAsync(processes.Where(p => p.Kind is "tag" or "upload").ToList());
            await AssertEffectsExactlyOnceAsync(processes);
            await AssertTheDownloadsFileExactlyOnceAsync(adminA, download);
            Assert.False(apiA.HasExited || apiB.HasExited || restarted.HasExited);
        }
        finally
        {
            await worker.DisposeAsync();
            output.WriteLine(apiA.Errors);
            output.WriteLine(apiB.Errors);
        }
    }

    private Dictionary<string, string> Node(params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Moonflow"] = _connectionString,
            ["FileStorage__Root"] = _storage,
            ["Jobs__PollInterval"] = "00:00:00.500",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>Half a million interactions for the long download, and the clients the bulk tags work on.</summary>
    private async Task SeedAsync()
    {
        await ExecuteAsync($"""
            WITH numbered AS (SELECT row_number() OVER (ORDER BY c.id) - 1 AS n, c.*
                              FROM receivables.clients c JOIN identity.tenants t ON t.id = c.tenant_id AND t.slug = 'demo'),
                 total AS (SELECT count(*) AS k FROM numbered)
            INSERT INTO interactions.interactions (id, tenant_id, client_id, client_document_type, client_document_number, client_name,
                direction, channel, status, sent_at, send_at, campaign, template, recipients, message, source, created_at)
            SELECT gen_random_uuid(), c.tenant_id, c.id, c.document_type, c.document_number, c.name, 'Outbound',
                   (ARRAY['Whatsapp','Sms','Email','Voice','Push'])[1 + g % 5], (ARRAY['Sent','Delivered','Read','Unread','Failed'])[1 + g % 5],
                   now() - make_interval(secs => g * 0.5), now() - make_interval(secs => g * 0.5),
                   'Campaña ' || (g % 20), 'plantilla_' || (g % 8), '+57 300' || lpad(g::text, 7, '0'),
                   'Mensaje de prueba número ' || g || ' para el cliente, con su saldo y la fecha de pago acordada.', 'Platform', now()
            FROM generate_series(1, {DownloadRows}) g CROSS JOIN total JOIN numbered c ON c.n = g % total.k
            """);
        for (var group = 0; group < TagGroups; group++)
        {
            var tenant = TenantOfGroup(group);
            await ExecuteAsync($"""
                INSERT INTO receivables.clients (id, tenant_id, document_type, document_number, name, tags, created_at)
                SELECT gen_random_uuid(), t.id, 'CC', 'MN{group:D2}' || lpad(g::text, 5, '0'), 'Cluster client ' || g, ARRAY['cluster-{group}'], now()
                FROM identity.tenants t, generate_series(1, {ClientsPerTagGroup}) g WHERE t.slug = '{tenant}'
                """);
        }

        await ExecuteAsync("ANALYZE");
    }

    private static async Task<Submitted> StartLongDownloadAsync(HttpClient admin)
    {
        var today = ExportTestSupport.DemoToday;
        var columns = new[]
        {
            "clientDocumentType", "clientDocumentNumber", "clientName", "direction", "channel", "status", "scheduledAt", "sentAt", "campaign",
            "template", "portfolio", "advisorName", "recipients", "message", "errorMessage", "lastAssociatedCommunication", "source",
        };
        var accepted = await (await admin.RequestAsync(new { tray = "interactions", from = today.AddDays(-7), to = today, format = "xlsx", columns }))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("deferred", accepted.GetProperty("mode").GetString());
        (await admin.PostAsync("/api/v1/exports/deferred/run", null)).EnsureSuccessStatusCode();
        var exportId = accepted.GetProperty("exportId").GetGuid();
        var export = await (await admin.GetAsync($"/api/v1/exports/{exportId}")).ReadJsonAsync();
        var rows = export.GetProperty("estimatedRows").GetInt64();
        Assert.True(rows >= DownloadRows, $"the download counts {rows} rows");
        return new Submitted("download", "demo", accepted.GetProperty("processId").GetGuid(), rows, exportId);
    }

    private static async Task<Submitted> BulkTagAsync(HttpClient demo, HttpClient acme, int group)
    {
        var tenant = TenantOfGroup(group);
        var processId = await (tenant == "acme" ? acme : demo)
            .StartAsync("/api/v1/clients/bulk/tags", new { filter = new { tag = $"cluster-{group}" }, add = new[] { $"cluster-done-{group}" } });
        return new Submitted("tag", tenant, processId, ClientsPerTagGroup, Group: group);
    }

    private static string TenantOfGroup(int group) => group % 4 == 3 ? "acme" : "demo";

    private async Task<Submitted> UploadAsync(HttpClient client, int index)
    {
        var documents = await DocumentsAsync();
        var csv = new StringBuilder("Tipo de documento,Número de documento,Canal,Fecha de envío,Destinatarios,Estado,Campaña\r\n");
        for (var row = 0; row < RowsPerUpload; row++)
        {
            var document = row < BadRowsPerUpload ? ("CC", $"NOPE{index}{row}") : documents[(index * 31 + row) % documents.Count];
            csv.Append($"{document.Item1},{document.Item2},WhatsApp,2026-06-{1 + index:D2} {row / 60:D2}:{row % 60:D2},+57 301{index:D2}{row:D5},Leída,cluster-upload-{index}\r\n");
        }

        using var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString()));
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(part, "file", $"cluster-{index}.csv");
        var response = await client.PostAsync("/api/v1/interactions/imports", content);
        var accepted = await response.ReadJsonAsync(HttpStatusCode.Accepted);
        return new Submitted("upload", "demo", accepted.GetProperty("processId").GetGuid(), RowsPerUpload, Group: index);
    }

    private static async Task<Submitted> OnlineDownloadAsync(HttpClient client, string tenant, string tray)
    {
        var today = ExportTestSupport.DemoToday;
        var accepted = await (await client.RequestAsync(new { tray, from = today.AddDays(-5), to = today, format = "csv" })).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("online", accepted.GetProperty("mode").GetString());
        var export = await (await client.GetAsync($"/api/v1/exports/{accepted.GetProperty("exportId").GetGuid()}")).ReadJsonAsync();
        return new Submitted("online", tenant, accepted.GetProperty("processId").GetGuid(), export.GetProperty("estimatedRows").GetInt64());
    }

    private async Task AssertItemsExactlyOnceAsync(IReadOnlyList<Submitted> processes)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        foreach (var process in processes)
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*), count(DISTINCT seq), count(*) FILTER (WHERE outcome = 'Failed') FROM processes.process_items WHERE process_id = @id", connection);
            command.Parameters.AddWithValue("id", process.ProcessId);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal(process.Expected, reader.GetInt64(0));
            Assert.Equal(process.Expected, reader.GetInt64(1));
            Assert.Equal(process.Kind == "upload" ? BadRowsPerUpload : 0, reader.GetInt64(2));
        }
    }

    private async Task AssertEffectsExactlyOnceAsync(IReadOnlyList<Submitted> processes)
    {
        foreach (var tag in processes.Where(p => p.Kind == "tag"))
        {
            Assert.Equal(ClientsPerTagGroup, await ScalarAsync($"SELECT count(*) FROM receivables.clients WHERE 'cluster-done-{tag.Group}' = ANY(tags)"));
        }

        foreach (var upload in processes.Where(p => p.Kind == "upload"))
        {
            Assert.Equal(RowsPerUpload - BadRowsPerUpload, await ScalarAsync($"SELECT count(*) FROM interactions.interactions WHERE campaign = 'cluster-upload-{upload.Group}'"));
        }
    }

    private async Task AssertTheDownloadsFileExactlyOnceAsync(HttpClient admin, Submitted download)
    {
        var export = await admin.WaitForExportAsync(download.ExportId!.Value);
        Assert.Equal("completed", export.GetProperty("status").GetString());
        Assert.Equal(download.Expected, export.GetProperty("rowCount").GetInt64());
        var process = await (await admin.GetAsync($"/api/v1/processes/{download.ProcessId}")).ReadJsonAsync();
        Assert.Single(process.GetProperty("files").EnumerateArray());
        Assert.Equal(1, await ScalarAsync($"SELECT count(*) FROM processes.process_files WHERE process_id = '{download.ProcessId}'"));

        // The file holds every row once: the header and one row per interaction.
        var response = await admin.GetAsync(export.GetProperty("fileUrl").GetString(), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(_storage, "downloaded.xlsx");
        await using (var file = File.Create(path))
        {
            await response.Content.CopyToAsync(file);
        }

        Assert.Equal(download.Expected + 1, CountSheetRows(path));
        var complete = Directory.EnumerateFiles(_storage, "*.xlsx", SearchOption.AllDirectories).Count(f => f.Contains("exports-", StringComparison.Ordinal));
        Assert.Equal(1, complete);
    }

    /// <summary>Rows of every worksheet, counted while the xml streams (a workbook of half a million rows is never loaded).</summary>
    private static long CountSheetRows(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        long rows = 0;
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)))
        {
            using var reader = System.Xml.XmlReader.Create(entry.Open());
            while (reader.ReadToFollowing("row", "http://schemas.openxmlformats.org/spreadsheetml/2006/main"))
            {
                rows++;
            }
        }

        return rows;
    }

    private async Task<List<(string, string)>> DocumentsAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT c.document_type, c.document_number FROM receivables.clients c JOIN identity.tenants t ON t.id = c.tenant_id AND t.slug = 'demo' WHERE c.document_number NOT LIKE 'MN%' ORDER BY c.document_number LIMIT 200",
            connection);
        var documents = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            documents.Add((reader.GetString(0), reader.GetString(1)));
        }

        return documents;
    }

    private static bool Finished(JsonElement process) => process.GetProperty("status").GetString() is not ("queued" or "running");

    private static async Task<JsonElement> WaitForAsync(HttpClient client, Guid processId, Func<JsonElement, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var process = await (await client.GetAsync($"/api/v1/processes/{processId}")).ReadJsonAsync();
            if (condition(process))
            {
                return process;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Process {processId} did not get there in time: {process}");
            await Task.Delay(200);
        }
    }

    private async Task<(string Status, long Processed)> StatusAsync(Guid processId)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status, processed FROM processes.bulk_processes WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", processId);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.GetInt64(1));
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }

    private sealed record Submitted(string Kind, string Tenant, Guid ProcessId, long Expected, Guid? ExportId = null, int Group = 0);
}
