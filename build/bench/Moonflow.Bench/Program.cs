using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Moonflow.Application.Common.Paging;
using Moonflow.Bench;
using Npgsql;

// Moonflow benchmarks: figures as ratios against a baseline measured in the same run (the machine is shared).
// Usage: Moonflow.Bench <server connection string> <api dll> <storage root>
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args[0] == BackupBench.ChildArgument)
{
    return await BackupBench.ChildMainAsync(args);
}

var server = args[0];
var apiDll = args[1];
var storage = args[2];
const int Interactions = 1_000_000;
const int UploadRows = 100_000;
const int Samples = 200;
const int WarmUpRows = UploadRows;

// Benchmarks run side by side on a shared machine: each picks its own API ports (and cluster, in bench.sh).
var apiPort = int.TryParse(Environment.GetEnvironmentVariable("MOONFLOW_BENCH_API_PORT"), CultureInfo.InvariantCulture, out var port) ? port : 5091;

var database = new NpgsqlConnectionStringBuilder(server) { Database = "moonflow_bench" }.ConnectionString;
await Database.RecreateAsync(server, "moonflow_bench");
var results = new List<(string Measure, string Value, string Note)>();

// Hostile uploads need no volume: the API migrates and seeds the demo tenant, then the corpus goes through it.
if (Environment.GetEnvironmentVariable("BENCH_ONLY") == "hostile")
{
    await (await ApiProcess.StartAsync(apiDll, database, storage, apiPort)).DisposeAsync();
    await RunHostileAsync();
    Print(results);
    return 0;
}

// The CRM processes seed their own volume (BENCH_CRM_CONTACTS for a smoke run) and start their own API process.
if (Environment.GetEnvironmentVariable("BENCH_ONLY") == "crm")
{
    await CrmBench.RunAsync(apiDll, database, storage, apiPort + 4, results);
    Print(results);
    return 0;
}

// The script usage search seeds its own 100,000 scripts (COPY) after the API has migrated the database.
if (Environment.GetEnvironmentVariable("BENCH_ONLY") == "scripts")
{
    await ScriptSearchBench.RunAsync(apiDll, database, storage, apiPort, results);
    Print(results);
    return 0;
}

// The backup seeds its own volume (BENCH_BACKUP_INTERACTIONS, BENCH_BACKUP_FILES, BENCH_BACKUP_FILE_BYTES for a smoke run).
if (Environment.GetEnvironmentVariable("BENCH_ONLY") == "backup")
{
    await (await ApiProcess.StartAsync(apiDll, database, storage, apiPort)).DisposeAsync();
    await BackupBench.RunAsync(database, storage, results);
    Print(results);
    return 0;
}

// The CRM imports bring their own rows: the API migrates and seeds the demo tenant, then each import runs through it.
if (Environment.GetEnvironmentVariable("BENCH_ONLY") == "crmimport")
{
    await CrmImportBench.RunAsync(apiDll, database, storage, apiPort, results);
    Print(results);
    return 0;
}

// The API migrates and seeds the demo tenant; then the volume goes in with SQL.
if (Environment.GetEnvironmentVariable("BENCH_ONLY") == "upload")
{
    await using var seeding = await ApiProcess.StartAsync(apiDll, database, storage, apiPort);
    await Database.SeedInteractionsAsync(database, 10_000);
}
else
await using (var api = await ApiProcess.StartAsync(apiDll, database, storage, apiPort))
{
    Console.WriteLine($"seeding {Interactions:N0} interactions…");
    var seedTime = await Database.SeedInteractionsAsync(database, Interactions);
    Console.WriteLine($"  done in {seedTime.TotalSeconds:F0} s");

    const string filters = "channel=whatsapp,sms&status=read,delivered&limit=50";
    var first = await LatencyAsync(api.Http, $"/api/v1/interactions?{filters}", Samples);
    var deepCursor = await Database.CursorAtAsync(database, 200_000);
    var deep = await LatencyAsync(api.Http, $"/api/v1/interactions?{filters}&cursor={deepCursor}", Samples);
    results.Add(("list, first page (2 filters), p50 / p95", $"{first.P50:F1} / {first.P95:F1} ms", $"{Samples} requests over HTTP"));
    results.Add(("list, deep page (~200,000 rows in), p50 / p95", $"{deep.P50:F1} / {deep.P95:F1} ms", $"{Samples} requests"));
    results.Add(("deep page / first page (p50)", $"{deep.P50 / first.P50:F2}×", "target ≤ 1.5×"));
}

if (Environment.GetEnvironmentVariable("BENCH_ONLY") == "export")
{
    await ExportBench.RunAsync(apiDll, database, storage, apiPort + 2, results);
    Print(results);
    return 0;
}

// Upload: the same 100,000 rows through the API and through COPY. Each measured upload gets a fresh API process, so its
// peak memory is the upload's. A fresh process also compiles every code path on first use (EF Core, Npgsql, the
// readers, tiered JIT): the first upload after start is measured as it is, and the throughput is measured as a running
// server has it, in a second fresh process that has first uploaded as many other rows (a year earlier, so no duplicates).
var rows = await Database.UploadRowsAsync(database, UploadRows);
// The baseline is COPY of the same rows into the same table: the work an upload does, without the upload. Each takes a
// few seconds: the median of three keeps one slow or fast moment of a shared machine from setting every ratio below.
// COPY into an empty copy of the table is shown too, for reference: a stricter figure, since every index is then small.
var (copySeconds, copyRuns) = await MedianAsync(() => Database.CopyBaselineAsync(database, rows, intoEmptyCopy: false));
var copyRate = UploadRows / copySeconds;
results.Add(("PostgreSQL COPY of the rows into the interactions table (CSV)", $"{copyRate:N0} rows/s", $"{copySeconds:F2} s, median of {copyRuns}; rolled back"));
var (emptySeconds, emptyRuns) = await MedianAsync(() => Database.CopyBaselineAsync(database, rows, intoEmptyCopy: true));
var emptyRate = UploadRows / emptySeconds;
results.Add(("PostgreSQL COPY of the rows into an empty copy of the table", $"{emptyRate:N0} rows/s", $"{emptySeconds:F2} s, median of {emptyRuns}; for reference"));
foreach (var format in new[] { "xlsx", "csv" })
{
    var file = format == "xlsx" ? UploadFiles.Xlsx(rows) : UploadFiles.Csv(rows);
    var warmUpRows = rows.Take(WarmUpRows).Select(r => r with { SentAt = r.SentAt.AddYears(-1) }).ToList();
    var warmUpFile = format == "xlsx" ? UploadFiles.Xlsx(warmUpRows) : UploadFiles.Csv(warmUpRows);
    var cold = await MeasureUploadAsync(file, $"bench.{format}", warmUp: null);
    var warm = await MeasureUploadAsync(file, $"bench.{format}", (warmUpFile, $"warm-up.{format}"));
    var size = $"{format}, {file.Length / 1024 / 1024.0:F1} MB";
    results.Add(($"upload {UploadRows:N0} rows ({size}) through the API", $"{warm.Rate:N0} rows/s", $"{warm.Status}, {warm.Created:N0} created, {warm.Seconds:F1} s; the process had uploaded {WarmUpRows:N0} other rows"));
    results.Add(($"upload ({format}) / COPY", $"{warm.Rate / copyRate:P0}", $"target ≥ 25%; {warm.Rate / emptyRate:P0} of COPY into an empty table"));
    results.Add(($"first upload after the API starts ({format})", $"{cold.Rate:N0} rows/s", $"{cold.Rate / copyRate:P0} of COPY; {cold.Status}, {cold.Created:N0} created, {cold.Seconds:F1} s"));
    results.Add(($"API peak memory during the {format} upload", $"{Math.Max(cold.PeakMb, warm.PeakMb):F0} MB", $"{cold.BaselineMb:F0} MB before; first upload {cold.PeakMb:F0} MB, after warm-up {warm.PeakMb:F0} MB; target < 400 MB"));
}

if (Environment.GetEnvironmentVariable("BENCH_ONLY") != "upload")
{
    await ExportBench.RunAsync(apiDll, database, storage, apiPort + 2, results);
    await RunHostileAsync();
}

Print(results);
return 0;

// The hostile corpus through a fresh API process (its peak memory is the corpus's), then the spreadsheet adapters'
// held memory in this process.
async Task RunHostileAsync()
{
    await HostileBench.RunAsync(apiDll, database, storage, apiPort + 3, results);
    await StreamingMemoryBench.RunAsync(results);
}

static async Task<(double Median, string Runs)> MedianAsync(Func<Task<double>> measure)
{
    var runs = new List<double>();
    for (var run = 0; run < 3; run++)
    {
        runs.Add(await measure());
    }

    var text = string.Join(" / ", runs.Select(r => r.ToString("F2", CultureInfo.InvariantCulture))) + " s";
    runs.Sort();
    return (runs[1], text);
}

static void Print(List<(string Measure, string Value, string Note)> results)
{
    Console.WriteLine();
    Console.WriteLine("| measure | value | note |");
    Console.WriteLine("|---|---|---|");
    foreach (var (measure, value, note) in results)
    {
        Console.WriteLine($"| {measure} | {value} | {note} |");
    }
}

async Task<(double Rate, double Seconds, string Status, long Created, double BaselineMb, double PeakMb)> MeasureUploadAsync(
    byte[] file, string name, (byte[] File, string Name)? warmUp)
{
    await Database.DeleteImportedAsync(database);
    await using var api = await ApiProcess.StartAsync(apiDll, database, storage, apiPort + 1);
    var baseline = api.PeakMemoryMb();
    if (warmUp is { } w)
    {
        await UploadAsync(api.Http, w.File, w.Name);
    }

    var watch = Stopwatch.StartNew();
    var (status, created) = await UploadAsync(api.Http, file, name);
    watch.Stop();
    return (UploadRows / watch.Elapsed.TotalSeconds, watch.Elapsed.TotalSeconds, status, created, baseline, api.PeakMemoryMb());
}

static async Task<(double P50, double P95)> LatencyAsync(HttpClient http, string url, int samples)
{
    for (var i = 0; i < 10; i++)
    {
        (await http.GetAsync(url)).EnsureSuccessStatusCode(); // warm-up
    }

    var times = new List<double>(samples);
    for (var i = 0; i < samples; i++)
    {
        var watch = Stopwatch.StartNew();
        var response = await http.GetAsync(url);
        await response.Content.ReadAsByteArrayAsync();
        watch.Stop();
        response.EnsureSuccessStatusCode();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    return (times[samples / 2], times[(int)(samples * 0.95)]);
}

static async Task<(string Status, long Created)> UploadAsync(HttpClient http, byte[] file, string name)
{
    var content = new MultipartFormDataContent();
    var part = new ByteArrayContent(file);
    part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
    content.Add(part, "file", name);
    var response = await http.PostAsync("/api/v1/interactions/imports", content);
    var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"upload refused: {accepted}");
    }

    var id = accepted.GetProperty("processId").GetGuid();
    while (true)
    {
        var process = await http.GetFromJsonAsync<JsonElement>($"/api/v1/processes/{id}");
        var status = process.GetProperty("status").GetString()!;
        if (status is not ("queued" or "running"))
        {
            return (status, process.GetProperty("succeeded").GetInt64());
        }

        await Task.Delay(100);
    }
}
