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
/// The backup (<c>BENCH_ONLY=backup</c>): a tenant with many interactions and attachment files in the file store, archived by
/// the product's archive writer and contributors (the very code the backup's long step runs, in a process of its own so its
/// peak memory is the backup's), next to the physical baseline of the same run: <c>zip -0 -r</c> of the attachment folder plus
/// PostgreSQL's COPY of the datasets. Until the Receivables documents exist, the attachments come in through a contributor of
/// the benchmark's own (<see cref="BenchAttachmentsContributor"/>), one folder per client, as that port will give them.
/// </summary>
internal static class BackupBench
{
    public const string ChildArgument = "--backup-child";
    private const string AttachmentsFolder = "bench-attachments";

    public static async Task RunAsync(string database, string storage, List<(string Measure, string Value, string Note)> results)
    {
        var interactions = Size("BENCH_BACKUP_INTERACTIONS", 1_000_000);
        var fileCount = Size("BENCH_BACKUP_FILES", 20_000);
        var fileBytes = Size("BENCH_BACKUP_FILE_BYTES", 2L * 1024 * 1024 * 1024 / 20_000);
        Console.WriteLine($"seeding {interactions:N0} interactions and {fileCount:N0} attachments of {fileBytes:N0} bytes…");
        await Database.SeedInteractionsAsync(database, (int)interactions);
        var attachmentBytes = WriteAttachments(Path.Combine(storage, AttachmentsFolder), fileCount, fileBytes);
        var tenantId = await TenantAsync(database);

        // The physical baseline: the attachments zipped as they are (stored), and the datasets as PostgreSQL's COPY gives them.
        var zipPath = Path.Combine(Path.GetTempPath(), $"moonflow-bench-{Guid.NewGuid():N}.zip");
        var zipWatch = Stopwatch.StartNew();
        using (var zip = Process.Start(new ProcessStartInfo("zip", ["-0", "-r", "-q", zipPath, AttachmentsFolder]) { WorkingDirectory = storage })!)
        {
            await zip.WaitForExitAsync();
        }

        zipWatch.Stop();
        var zipBytes = new FileInfo(zipPath).Length;
        File.Delete(zipPath);
        var (copyBytes, copySeconds) = await CopyDatasetsAsync(database, tenantId);
        var baselineRate = (zipBytes + copyBytes) / (zipWatch.Elapsed.TotalSeconds + copySeconds) / 1e6;
        results.Add(("baseline: zip -0 -r of the attachments + COPY of the datasets", $"{baselineRate:F1} MB/s",
            $"{zipBytes / 1e6:F0} MB in {zipWatch.Elapsed.TotalSeconds:F1} s + {copyBytes / 1e6:F0} MB of csv in {copySeconds:F1} s"));

        var small = await ChildAsync(database, storage, tenantId, withAttachments: false);
        var full = await ChildAsync(database, storage, tenantId, withAttachments: true);
        var rate = full.Bytes / full.Seconds / 1e6;
        results.Add(("backup archive through the product's writer", $"{rate:F1} MB/s",
            $"{full.Bytes / 1e6:F0} MB, {full.Entries:N0} entries in {full.Seconds:F1} s, the second archive of a process ({attachmentBytes / 1e6:F0} MB of attachments, {interactions:N0} interactions)"));
        results.Add(("backup / baseline", $"{rate / baselineRate:P0}", $"target ≥ 50%; the first archive after start took {full.FirstSeconds:F1} s ({full.Bytes / full.FirstSeconds / 1e6:F1} MB/s)"));
        results.Add(("peak memory of the backup process", $"{full.PeakMb:F0} MB", $"{full.StartMb:F0} MB before the archive; target < 300 MB"));
        results.Add(("peak memory without the attachments (datasets only)", $"{small.PeakMb:F0} MB",
            $"{small.Bytes / 1e6:F0} MB archive against {full.Bytes / 1e6:F0} MB: flat in the archive's size if close to the above"));
    }

    /// <summary>The child process: the product's services, acting for the tenant, write one archive into the file store.</summary>
    public static async Task<int> ChildMainAsync(string[] args)
    {
        var (database, storage, tenantId, withAttachments) = (args[1], args[2], Guid.Parse(args[3]), args[4] == "1");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Moonflow"] = database,
            ["FileStorage:Root"] = storage,
            ["Jobs:RunServer"] = "false",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddApplication().AddInfrastructure(configuration);
        if (withAttachments)
        {
            services.AddScoped<IBackupContributor>(_ => new BenchAttachmentsContributor(Path.Combine(storage, AttachmentsFolder), AttachmentsFolder));
        }

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

    private static async Task<ChildResult> ChildAsync(string database, string storage, Guid tenantId, bool withAttachments)
    {
        var self = typeof(BackupBench).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [self, ChildArgument, database, storage, tenantId.ToString(), withAttachments ? "1" : "0"])
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

    private static long WriteAttachments(string folder, long count, long bytes)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        // Incompressible content, as PDFs and photos are; one folder per client, 20 files each.
        var buffer = new byte[bytes];
        long total = 0;
        for (var i = 0; i < count; i++)
        {
            var client = Path.Combine(folder, $"CC-B{i / 20:D7}-Bench client {i / 20}");
            Directory.CreateDirectory(client);
            Random.Shared.NextBytes(buffer);
            File.WriteAllBytes(Path.Combine(client, $"adjunto-{i % 20:D2}.pdf"), buffer);
            total += bytes;
        }

        return total;
    }

    private static async Task<(long Bytes, double Seconds)> CopyDatasetsAsync(string database, Guid tenantId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var watch = Stopwatch.StartNew();
        long bytes = 0;
        var buffer = new char[1 << 16];
        foreach (var table in new[] { "receivables.clients", "receivables.payment_orders", "interactions.interactions", "processes.bulk_processes" })
        {
            using var copy = await connection.BeginTextExportAsync($"COPY (SELECT * FROM {table} WHERE tenant_id = '{tenantId}') TO STDOUT (FORMAT csv, HEADER)");
            int read;
            while ((read = await copy.ReadAsync(buffer.AsMemory())) > 0)
            {
                bytes += read;
            }
        }

        return (bytes, watch.Elapsed.TotalSeconds);
    }

    private static async Task<Guid> TenantAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM identity.tenants WHERE slug = 'demo'", connection);
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
        public ValueTask ReportAsync(long entries, long bytes, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}

/// <summary>
/// The benchmark's stand-in for the client attachments the Receivables documents will contribute: every file under a folder of
/// the file store, one archive folder per client (<c>clients/&lt;type&gt;-&lt;number&gt;-&lt;name&gt;/…</c>), copied from the store as they stream.
/// </summary>
internal sealed class BenchAttachmentsContributor(string folder, string keyPrefix) : IBackupContributor
{
    public int Order => 50;

    public async Task ContributeAsync(BackupScope scope, IBackupArchive archive, CancellationToken cancellationToken)
    {
        foreach (var client in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            foreach (var file in Directory.EnumerateFiles(client).Order(StringComparer.Ordinal))
            {
                var key = $"{keyPrefix}/{Path.GetFileName(client)}/{Path.GetFileName(file)}";
                await archive.AddStoredFileAsync($"clients/{Path.GetFileName(client)}", Path.GetFileName(file), key, cancellationToken);
            }
        }
    }
}
