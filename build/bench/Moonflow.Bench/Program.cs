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
var server = args[0];
var apiDll = args[1];
var storage = args[2];
const int Interactions = 1_000_000;
const int UploadRows = 100_000;
const int Samples = 200;

var database = new NpgsqlConnectionStringBuilder(server) { Database = "moonflow_bench" }.ConnectionString;
await Database.RecreateAsync(server, "moonflow_bench");
var results = new List<(string Measure, string Value, string Note)>();

// The API migrates and seeds the demo tenant; then the volume goes in with SQL.
if (Environment.GetEnvironmentVariable("BENCH_ONLY") == "upload")
{
    await using var seeding = await ApiProcess.StartAsync(apiDll, database, storage, 5091);
    await Database.SeedInteractionsAsync(database, 10_000);
}
else
await using (var api = await ApiProcess.StartAsync(apiDll, database, storage, 5091))
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

// Upload: the same 100,000 rows through the API (a fresh process, so its peak memory is the upload's) and through COPY.
var rows = await Database.UploadRowsAsync(database, UploadRows);
var copySeconds = await Database.CopyBaselineAsync(database, rows);
results.Add(("PostgreSQL COPY of the rows (CSV, same indexes)", $"{UploadRows / copySeconds:N0} rows/s", $"{copySeconds:F2} s"));
foreach (var format in new[] { "xlsx", "csv" })
{
    await Database.DeleteImportedAsync(database);
    await using var api = await ApiProcess.StartAsync(apiDll, database, storage, 5092);
    var file = format == "xlsx" ? UploadFiles.Xlsx(rows) : UploadFiles.Csv(rows);
    var baseline = api.PeakMemoryMb();
    var watch = Stopwatch.StartNew();
    var (status, created) = await UploadAsync(api.Http, file, $"bench.{format}");
    watch.Stop();
    var rate = UploadRows / watch.Elapsed.TotalSeconds;
    results.Add(($"upload {UploadRows:N0} rows ({format}, {file.Length / 1024 / 1024.0:F1} MB) through the API", $"{rate:N0} rows/s", $"{status}, {created:N0} created, {watch.Elapsed.TotalSeconds:F1} s"));
    results.Add(($"upload ({format}) / COPY", $"{rate / (UploadRows / copySeconds):P0}", "target ≥ 25%"));
    results.Add(($"API peak memory during the {format} upload", $"{api.PeakMemoryMb():F0} MB", $"{baseline:F0} MB before; target < 400 MB"));
}

Console.WriteLine();
Console.WriteLine("| measure | value | note |");
Console.WriteLine("|---|---|---|");
foreach (var (measure, value, note) in results)
{
    Console.WriteLine($"| {measure} | {value} | {note} |");
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
