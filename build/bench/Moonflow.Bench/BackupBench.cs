using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Application;
using Moonflow.Application.Backups;
using Moonflow.Application.Common.Backups;
using Moonflow.Application.Common.Security;
using Moonflow.Infrastructure;
using Npgsql;

namespace Moonflow.Bench;

/// <summary>
/// The backup (<c>BENCH_ONLY=backup</c>): a tenant with many interactions and attachment files, registered as client
/// attachments (rows in <c>receivables.client_attachments</c>, files in the file store, as uploads leave them), archived by the
/// product's archive writer and every contributor (the very code the backup's long step runs, in a process of its own so its
/// peak memory is the backup's), next to the physical baseline of the same run: <c>zip -0 -r</c> of the attachment folder plus
/// PostgreSQL's COPY of the datasets. A second, smaller tenant (a tenth of the files, few interactions) shows the peak memory
/// is flat in the archive's size.
/// </summary>
internal static class BackupBench
{
    public const string ChildArgument = "--backup-child";
    private const string AttachmentsFolder = "bench-attachments";
    private const int FilesPerClient = 20;

    public static async Task RunAsync(string database, string storage, List<(string Measure, string Value, string Note)> results)
    {
        var interactions = Size("BENCH_BACKUP_INTERACTIONS", 1_000_000);
        var fileCount = Size("BENCH_BACKUP_FILES", 20_000);
        var fileBytes = Size("BENCH_BACKUP_FILE_BYTES", 2L * 1024 * 1024 * 1024 / 20_000);
        Console.WriteLine($"seeding {interactions:N0} interactions and {fileCount:N0} attachments of {fileBytes:N0} bytes…");
        await Database.SeedInteractionsAsync(database, (int)interactions);
        var tenantId = await TenantAsync(database, "demo");
        var smallTenantId = await TenantAsync(database, "acme");
        var seeding = Stopwatch.StartNew();
        var attachmentBytes = await RegisterAttachmentsAsync(database, storage, "demo", tenantId, fileCount, fileBytes);
        var smallAttachmentBytes = await RegisterAttachmentsAsync(database, storage, "acme", smallTenantId, Math.Max(FilesPerClient, fileCount / 10), fileBytes);
        Console.WriteLine($"attachments written and registered in {seeding.Elapsed.TotalSeconds:F1} s");

        // The physical baseline: the attachments zipped as they are (stored), and the datasets as PostgreSQL's COPY gives them.
        var zipPath = Path.Combine(Path.GetTempPath(), $"moonflow-bench-{Guid.NewGuid():N}.zip");
        var zipWatch = Stopwatch.StartNew();
        using (var zip = Process.Start(new ProcessStartInfo("zip", ["-0", "-r", "-q", zipPath, $"{AttachmentsFolder}-demo"]) { WorkingDirectory = storage })!)
        {
            await zip.WaitForExitAsync();
        }

        zipWatch.Stop();
        var zipBytes = new FileInfo(zipPath).Length;
        File.Delete(zipPath);
        var (copyBytes, copySeconds) = await CopyDatasetsAsync(database, tenantId);
        var baselineRate = (zipBytes + copyBytes) / (zipWatch.Elapsed.TotalSeconds + copySeconds) / 1e6;
        results.Add(("baseline: zip -0 -r of the attachments + COPY of the datasets", $"{baselineRate:F1} MB/s",
            $"{zipBytes / 1e6:F0} MB in {zipWatch.Elapsed.TotalSeconds:F1} s + {copyBytes / 1e6:F0} MB of csv (COPY TO a file) in {copySeconds:F1} s"));

        var small = await ChildAsync(database, storage, smallTenantId);
        var full = await ChildAsync(database, storage, tenantId);
        var rate = full.Bytes / full.Seconds / 1e6;
        results.Add(("backup archive through the product's writer", $"{rate:F1} MB/s",
            $"{full.Bytes / 1e6:F0} MB, {full.Entries:N0} entries in {full.Seconds:F1} s, the second archive of a process ({attachmentBytes / 1e6:F0} MB of attachments, {interactions:N0} interactions)"));
        results.Add(("backup / baseline", $"{rate / baselineRate:P0}", $"target ≥ 50%; the first archive after start took {full.FirstSeconds:F1} s ({full.Bytes / full.FirstSeconds / 1e6:F1} MB/s)"));
        results.Add(("peak memory of the backup process (VmHWM)", $"{full.PeakMb:F0} MB", $"{full.StartMb:F0} MB before the archive; target < 300 MB"));
        results.Add(("peak memory, a tenth of the attachments", $"{small.PeakMb:F0} MB",
            $"{small.Bytes / 1e6:F0} MB archive ({smallAttachmentBytes / 1e6:F0} MB of attachments, {small.Entries:N0} entries) against {full.Bytes / 1e6:F0} MB: flat in the archive's size if close to the above"));
    }

    /// <summary>The child process: the product's services, acting for the tenant, write one archive into the file store.</summary>
    public static async Task<int> ChildMainAsync(string[] args)
    {
        var (database, storage, tenantId) = (args[1], args[2], Guid.Parse(args[3]));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Moonflow"] = database,
            ["FileStorage:Root"] = storage,
            ["Jobs:RunServer"] = "false",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddApplication().AddInfrastructure(configuration);

        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<UserContext>().ActAsSystem(tenantId);
        var writer = scope.ServiceProvider.GetRequiredService<IBackupArchiveWriter>();
        var files = scope.ServiceProvider.GetRequiredService<Moonflow.Application.Common.Files.IFileStorage>();
        var backupScope = new BackupScope(tenantId, "demo", TimeZoneInfo.FindSystemTimeZoneById("America/Bogota"), DateTimeOffset.UtcNow);
        var startMb = PeakMb();

        // A running API has compiled every path long before: the archive is written once to warm up, then measured.
        var warmUp = Stopwatch.StartNew();
        await files.DeleteAsync((await writer.WriteAsync(backupScope, new NoProgress(), CancellationToken.None)).File.Key, CancellationToken.None);
        warmUp.Stop();
        var watch = Stopwatch.StartNew();
        var written = await writer.WriteAsync(backupScope, new NoProgress(), CancellationToken.None);
        watch.Stop();
        Console.WriteLine(JsonSerializer.Serialize(new ChildResult(watch.Elapsed.TotalSeconds, warmUp.Elapsed.TotalSeconds, written.File.SizeBytes, written.Entries, startMb, PeakMb())));
        await files.DeleteAsync(written.File.Key, CancellationToken.None);
        return 0;
    }

    private static async Task<ChildResult> ChildAsync(string database, string storage, Guid tenantId)
    {
        var self = typeof(BackupBench).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [self, ChildArgument, database, storage, tenantId.ToString()])
        {
            RedirectStandardOutput = true,
        };
        start.Environment["DOTNET_TieredPGO"] = "0";
        using var child = Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{'))
            ?? throw new InvalidOperationException($"The backup child gave no result (exit {child.ExitCode}): {output}");
        return JsonSerializer.Deserialize<ChildResult>(line)!;
    }

    /// <summary>
    /// Incompressible files (as PDFs and photos are) written straight into the file store, one client of the tenant per 20
    /// files, and registered as those clients' attachments with binary COPY, as uploads would have left them.
    /// </summary>
    private static async Task<long> RegisterAttachmentsAsync(string database, string storage, string slug, Guid tenantId, long count, long bytes)
    {
        var folder = $"{AttachmentsFolder}-{slug}";
        if (Directory.Exists(Path.Combine(storage, folder)))
        {
            Directory.Delete(Path.Combine(storage, folder), recursive: true);
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        Guid userId;
        await using (var user = new NpgsqlCommand("SELECT id FROM identity.users WHERE tenant_id = @t ORDER BY email LIMIT 1", connection))
        {
            user.Parameters.AddWithValue("t", tenantId);
            userId = (Guid)(await user.ExecuteScalarAsync())!;
        }

        var clients = new List<(Guid Id, string Number, string Name)>();
        for (var c = 0; c < (count + FilesPerClient - 1) / FilesPerClient; c++)
        {
            clients.Add((Guid.NewGuid(), $"F{c:D7}", $"Cliente con adjuntos {c}"));
        }

        var now = DateTimeOffset.UtcNow;
        await using (var import = await connection.BeginBinaryImportAsync(
            "COPY receivables.clients (id, tenant_id, document_type, document_number, name, tags, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var client in clients)
            {
                await import.WriteRowAsync(default, client.Id, tenantId, "CC", client.Number, client.Name, Array.Empty<string>(), now);
            }

            await import.CompleteAsync();
        }

        var buffer = new byte[bytes];
        long total = 0;
        await using (var import = await connection.BeginBinaryImportAsync(
            """
            COPY receivables.client_attachments (id, tenant_id, client_id, created_by, created_at, file_content_type, file_file_key, file_original_name,
                                                 file_sha256, file_size_bytes, file_stored_name) FROM STDIN (FORMAT BINARY)
            """))
        {
            for (var i = 0; i < count; i++)
            {
                var client = clients[(int)(i / FilesPerClient)];
                var name = $"adjunto-{i % FilesPerClient:D2}.pdf";
                var key = $"{folder}/{client.Number}/{name}";
                Directory.CreateDirectory(Path.Combine(storage, folder, client.Number));
                Random.Shared.NextBytes(buffer);
                await File.WriteAllBytesAsync(Path.Combine(storage, key), buffer);
                await import.WriteRowAsync(
                    default, Guid.NewGuid(), tenantId, client.Id, userId, now.AddTicks(i), "application/pdf", key, name,
                    Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(buffer)), bytes, name);
                total += bytes;
            }

            await import.CompleteAsync();
        }

        return total;
    }

    /// <summary>Each dataset's table as PostgreSQL's COPY gives it, written to a file (the rows a backup's sheets hold, without a sheet's cost).</summary>
    private static async Task<(long Bytes, double Seconds)> CopyDatasetsAsync(string database, Guid tenantId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var path = Path.Combine(Path.GetTempPath(), $"moonflow-bench-{Guid.NewGuid():N}.csv");
        var watch = Stopwatch.StartNew();
        var buffer = new char[1 << 16];
        await using (var file = new StreamWriter(path))
        {
            foreach (var table in new[]
            {
                "receivables.clients", "receivables.payment_orders", "receivables.client_attachments", "interactions.interactions", "processes.bulk_processes",
                "crm.contacts", "crm.agendas", "crm.call_history", "crm.conversations",
            })
            {
                using var copy = await connection.BeginTextExportAsync($"COPY (SELECT * FROM {table} WHERE tenant_id = '{tenantId}') TO STDOUT (FORMAT csv, HEADER)");
                int read;
                while ((read = await copy.ReadAsync(buffer.AsMemory())) > 0)
                {
                    await file.WriteAsync(buffer.AsMemory(0, read));
                }
            }
        }

        watch.Stop();
        var bytes = new FileInfo(path).Length;
        File.Delete(path);
        return (bytes, watch.Elapsed.TotalSeconds);
    }

    private static async Task<Guid> TenantAsync(string database, string slug)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM identity.tenants WHERE slug = @slug", connection);
        command.Parameters.AddWithValue("slug", slug);
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    private static long Size(string variable, long fallback) =>
        long.TryParse(Environment.GetEnvironmentVariable(variable), CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static double PeakMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return double.NaN;
    }

    private sealed record ChildResult(double Seconds, double FirstSeconds, long Bytes, long Entries, double StartMb, double PeakMb);

    private sealed class NoProgress : IBackupArchiveProgress
    {
        public void Estimate(long entries)
        {
        }

        public ValueTask ReportAsync(long entries, long bytes, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
