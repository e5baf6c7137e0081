using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Moonflow.Api.Tests.Support;

/// <summary>
/// A Moonflow node as a real operating-system process, started as the README shows (<c>dotnet Moonflow.Api.dll</c> from its
/// own folder): an API node, or a worker node (<c>--worker</c>) that runs jobs and serves no HTTP. It can be killed with
/// SIGKILL, as a node dies.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _errors = [];

    private ClusterNode(string name, Process process, int? port)
    {
        Name = name;
        _process = process;
        Port = port;
    }

    public string Name { get; }

    public int? Port { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The Release (or Debug) build of the API next to the test run, as <c>dotnet test Moonflow.sln</c> leaves it.</summary>
    public static string ApiDll()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Moonflow.sln")))
        {
            directory = directory.Parent;
        }

        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // …/bin/{Release|Debug}/net10.0/
        var dll = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Moonflow.sln not found above the test run."),
            "src", "Moonflow.Api", "bin", configuration, "net10.0", "Moonflow.Api.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first (dotnet test Moonflow.sln builds it).", dll);
    }

    public static async Task<ClusterNode> StartApiAsync(string name, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var node = Start(name, ["--urls", $"http://127.0.0.1:{port}"], environment, port);
        using var http = new HttpClient { BaseAddress = node.BaseAddress };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
            }

            node.ThrowIfExited();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{name} did not answer /health/ready: {node.Errors}");
            }

            await Task.Delay(200);
        }
    }

    public static async Task<ClusterNode> StartWorkerAsync(string name, IReadOnlyDictionary<string, string> environment)
    {
        var node = Start(name, ["--worker"], environment, port: null);
        var started = await Task.WhenAny(node._started.Task, node._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(2)));
        node.ThrowIfExited();
        return started == node._started.Task ? node : throw new TimeoutException($"{name} did not start: {node.Errors}");
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port ?? throw new InvalidOperationException($"{Name} serves no HTTP.")}");

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return string.Join(Environment.NewLine, _errors.TakeLast(30));
            }
        }
    }

    /// <summary>An HTTP client of this node signed in as a demo user.</summary>
    public async Task<HttpClient> SignInAsync(string email, string tenant)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { tenant, email, password = MoonflowApiFactory.Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Dies at once, as a node whose machine fails: no shutdown, no cleanup.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true); // SIGKILL on Linux
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static ClusterNode Start(string name, string[] arguments, IReadOnlyDictionary<string, string> environment, int? port)
    {
        var dll = ApiDll();
        var start = new ProcessStartInfo("dotnet", [dll, .. arguments])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["Logging__Console__FormatterName"] = "simple";

        // Tests poll far faster than people (as in MoonflowApiFactory); the limits are tested with their own figures.
        start.Environment["RateLimits__Requests__PermitLimit"] = "1000000";
        start.Environment["RateLimits__Work__PermitLimit"] = "1000000";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        var node = new ClusterNode(name, process, port);
        process.OutputDataReceived += (_, e) => node.Log(e.Data);
        process.ErrorDataReceived += (_, e) => node.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.Contains("Application started", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }

        if (line.Contains("fail", StringComparison.OrdinalIgnoreCase) || line.Contains("crit", StringComparison.Ordinal)
            || line.Contains("Exception", StringComparison.Ordinal) || line.Contains("warn", StringComparison.Ordinal))
        {
            lock (_errors)
            {
                _errors.Add($"{Name}: {line}");
            }
        }
    }

    private void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}: {Errors}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
