using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Moonflow.Bench;

/// <summary>The real API (Release build) as a child process, so its memory can be measured on its own.</summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ApiProcess(Process process, HttpClient http)
    {
        _process = process;
        Http = http;
    }

    public HttpClient Http { get; }

    /// <param name="maxUploadBytes">Uploads:MaxBytes; 64 MB by default, for the measured uploads of a million rows.</param>
    public static async Task<ApiProcess> StartAsync(string apiDll, string connectionString, string storageRoot, int port, long maxUploadBytes = 64 * 1024 * 1024)
    {
        var start = new ProcessStartInfo("dotnet", [apiDll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(apiDll)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__Moonflow"] = connectionString;
        start.Environment["FileStorage__Root"] = storageRoot;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Jobs__PollInterval"] = "00:00:00.200";

        // The benchmark polls far faster than a partner may; it measures the work, not the rate limiter.
        start.Environment["RateLimits__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Moonflow.Application.Common.Behaviours"] = "Information";
        start.Environment["Uploads__MaxBytes"] = maxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(start)!;
        // MOONFLOW_BENCH_API_LOG names a file the API's console log is appended to (what a run did between two figures).
        var log = Environment.GetEnvironmentVariable("MOONFLOW_BENCH_API_LOG") is { Length: > 0 } path ? TextWriter.Synchronized(new StreamWriter(path, append: true) { AutoFlush = true }) : null;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"  api: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) };
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            try
            {
                // An API that could not bind its port exits, and another one may be answering there.
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode && !process.HasExited)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The API did not start.");
            }

            await Task.Delay(500);
        }

        var token = await (await http.PostAsJsonAsync("/api/v1/auth/token", new { tenant = "demo", email = "admin@demo.test", password = "Moonflow!2026" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("accessToken").GetString());
        return new ApiProcess(process, http);
    }

    /// <summary>Peak resident memory of the API process so far (VmHWM), in MB.</summary>
    public double PeakMemoryMb()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return double.NaN;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
