using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Infrastructure;
using Moonflow.Infrastructure.Persistence;
using Npgsql;

namespace Moonflow.Api.Tests.Support;

/// <summary>
/// The real API on a fresh PostgreSQL database of its own (from MOONFLOW_TEST_DB, which build/test.sh sets),
/// with migrations, the demo seed and a real Hangfire server. Subclasses swap services to inject faults.
/// </summary>
public class MoonflowApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = DemoDataSeeder.Password;

    public static readonly JsonSerializerOptions Json = CreateJson();

    private readonly string _databaseName = $"mf_test_{Guid.NewGuid():N}";
    private readonly string _storageRoot = Path.Combine(Path.GetTempPath(), "moonflow-tests", Guid.NewGuid().ToString("N"));

    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>This API's file store (an absolute folder of its own), to check what processes and uploads leave behind.</summary>
    public string StorageRoot => _storageRoot;

    /// <summary>Records per chunk in this factory; small so that a few hundred records make several checkpoints.</summary>
    protected virtual int ChunkSize => 100;

    protected virtual bool RunJobServer => true;

    /// <summary>Small, so that the size limit can be tested without megabytes of test data.</summary>
    public const long MaxUploadBytes = 1024 * 1024;

    public async Task InitializeAsync()
    {
        var server = BaseConnectionString();
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_databaseName}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = _databaseName }.ConnectionString;
        _ = Services; // start the host: migrations, seed, job server
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(BaseConnectionString());
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
        if (Directory.Exists(_storageRoot))
        {
            Directory.Delete(_storageRoot, recursive: true);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Moonflow", ConnectionString);
        builder.UseSetting("FileStorage:Root", _storageRoot);
        builder.UseSetting("Processes:ChunkSize", ChunkSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Processes:SetBasedChunkSize", ChunkSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Jobs:PollInterval", "00:00:00.200");
        builder.UseSetting("Jobs:WorkerCount", "2");
        builder.UseSetting("Jobs:RunServer", RunJobServer ? "true" : "false");
        builder.UseSetting("Uploads:MaxBytes", MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Tests poll and sign in far faster than people; the limits are tested with their own figures (RateLimitTests).
        builder.UseSetting("RateLimits:Requests:PermitLimit", "1000000");
        builder.UseSetting("RateLimits:Work:PermitLimit", "1000000");
        builder.ConfigureServices(ConfigureTestServices);
    }

    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    /// <summary>
    /// Test clients read English, so assertions on texts read as the raised ones; the tests of languages
    /// (<c>LanguageTests</c>, <c>TenantLanguageTests</c>) take the header off with <see cref="WithoutLanguage"/>.
    /// </summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
    }

    /// <summary>The client as a caller that sends no <c>Accept-Language</c>.</summary>
    public static HttpClient WithoutLanguage(HttpClient client)
    {
        client.DefaultRequestHeaders.AcceptLanguage.Clear();
        return client;
    }

    /// <summary>An HTTP client signed in as a demo user.</summary>
    public async Task<HttpClient> SignInAsync(string email, string tenant = "demo")
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { tenant, email, password = Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<T> WithDbAsync<T>(Func<NpgsqlConnection, Task<T>> work)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return await work(connection);
    }

    /// <summary>A service scope acting as the system inside one tenant, for tests that call services directly.</summary>
    public async Task<TenantScope> TenantScopeAsync(string tenant)
    {
        var tenantId = await WithDbAsync(async db =>
        {
            await using var command = new NpgsqlCommand("SELECT id FROM identity.tenants WHERE slug = @slug", db);
            command.Parameters.AddWithValue("slug", tenant);
            return (Guid)(await command.ExecuteScalarAsync())!;
        });
        var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Moonflow.Application.Common.Security.UserContext>().ActAsSystem(tenantId);
        return new TenantScope(scope, tenantId);
    }

    private static string BaseConnectionString() =>
        Environment.GetEnvironmentVariable("MOONFLOW_TEST_DB")
        ?? throw new InvalidOperationException("MOONFLOW_TEST_DB is not set: run the tests with build/test.sh, which starts PostgreSQL.");

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiServices.ConfigureJson(options);
        return options;
    }
}

/// <summary>One API shared by the test classes that need no special wiring (they never run in parallel).</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<MoonflowApiFactory>
{
    public const string Name = "api";
}

public sealed class TenantScope(AsyncServiceScope scope, Guid tenantId) : IAsyncDisposable
{
    public IServiceProvider ServiceProvider => scope.ServiceProvider;

    public Guid TenantId => tenantId;

    public ValueTask DisposeAsync() => scope.DisposeAsync();
}
