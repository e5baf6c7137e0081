using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Moonflow.HostileCorpus;

namespace Moonflow.Bench;

/// <summary>
/// The hostile-upload corpus (tests/Moonflow.HostileCorpus) through the real API, one file after another in one API
/// process with the product's upload limit: each file's answer, and the API's peak memory (VmHWM) across them all.
/// </summary>
internal static class HostileBench
{
    private const double TargetMb = 500;

    public static async Task RunAsync(string apiDll, string database, string storage, int apiPort, List<(string Measure, string Value, string Note)> results)
    {
        using var corpus = HostileCorpusFolder.At(Path.Combine(Path.GetDirectoryName(storage)!, "bench-hostile"));
        var generating = Stopwatch.StartNew();
        var paths = HostileUploads.Files.ToDictionary(f => f, corpus.PathOf);
        Console.WriteLine($"hostile corpus: {paths.Count} files generated in {generating.Elapsed.TotalSeconds:F1} s");

        await using var api = await ApiProcess.StartAsync(apiDll, database, storage, apiPort, maxUploadBytes: 20 * 1024 * 1024);
        var baseline = api.PeakMemoryMb();
        var peakFile = "(none)";
        var peak = baseline;
        foreach (var (file, path) in paths)
        {
            var watch = Stopwatch.StartNew();
            var (outcome, note) = await UploadAsync(api.Http, path, file.FileName);
            watch.Stop();
            var afterMb = api.PeakMemoryMb();
            if (afterMb > peak)
            {
                (peak, peakFile) = (afterMb, file.FileName);
            }

            var size = new FileInfo(path).Length / (1024.0 * 1024);
            results.Add(($"hostile upload: {file.FileName} ({size:F1} MB; {file.Description})", outcome, $"{watch.Elapsed.TotalSeconds:F1} s; {note}; API peak so far {afterMb:F0} MB"));
            Console.WriteLine($"  {file.FileName}: {outcome} in {watch.Elapsed.TotalSeconds:F1} s, peak {afterMb:F0} MB");
        }

        results.Add((
            $"API peak memory across the hostile corpus ({paths.Count} files)", $"{peak:F0} MB",
            $"{baseline:F0} MB before; highest after {peakFile}; target < {TargetMb:F0} MB — {(peak < TargetMb ? "met" : "NOT met")}"));
    }

    /// <summary>The answer to one upload: a refusal's status and code, or the process's end.</summary>
    private static async Task<(string Outcome, string Note)> UploadAsync(HttpClient http, string path, string name)
    {
        HttpResponseMessage response;
        await using (var file = File.OpenRead(path))
        {
            using var content = new MultipartFormDataContent();
            var part = new StreamContent(file);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, "file", name);
            response = await http.PostAsync("/api/v1/interactions/imports", content);
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode)
        {
            var code = body.TryGetProperty("code", out var c) ? c.GetString() : "(no code)";
            return ($"{(int)response.StatusCode} {code}", Short(body.TryGetProperty("detail", out var d) ? d.GetString() : null));
        }

        var id = body.GetProperty("processId").GetGuid();
        while (true)
        {
            var process = await http.GetFromJsonAsync<JsonElement>($"/api/v1/processes/{id}");
            var status = process.GetProperty("status").GetString()!;
            if (status is not ("queued" or "running"))
            {
                var counts = $"{process.GetProperty("total").GetInt64():N0} rows, {process.GetProperty("succeeded").GetInt64():N0} succeeded, {process.GetProperty("failed").GetInt64():N0} failed";
                var reason = process.GetProperty("failureReason").ValueKind == JsonValueKind.String ? process.GetProperty("failureReason").GetString() : null;
                return ($"202, process {status}", reason is null ? counts : Short(reason));
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The start of a reason, enough to tell it in a table cell.</summary>
    private static string Short(string? text) =>
        text is null ? "(no reason)" : (text.Length <= 90 ? text : text[..90] + "…").Replace("|", "\\|", StringComparison.Ordinal);
}
