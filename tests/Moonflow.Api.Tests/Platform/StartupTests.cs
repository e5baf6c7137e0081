using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Moonflow.Api.Tests.Support;
using Npgsql;

namespace Moonflow.Api.Tests.Platform;

/// <summary>The API started as production would start it: no demo data, and no start at all without a way to sign tokens.</summary>
public sealed class ProductionStartupTests(ProductionStartupTests.ProductionFactory api) : IClassFixture<ProductionStartupTests.ProductionFactory>
{
    [Fact]
    public async Task Start_WhenNotDevelopment_MigratesButSeedsNoDemoData()
    {
        var ready = await api.CreateClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var (tenants, users, clients, migrations) = await api.WithDbAsync(async db =>
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT (SELECT count(*) FROM identity.tenants), (SELECT count(*) FROM identity.users),
                       (SELECT count(*) FROM receivables.clients), (SELECT count(*) FROM public.__ef_migrations)
                """,
                db);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        });
        Assert.Equal(0, tenants);
        Assert.Equal(0, users);
        Assert.Equal(0, clients);
        Assert.True(migrations > 0, "the schema was not migrated");
        var signIn = await api.CreateClient().PostAsJsonAsync(
            "/api/v1/auth/token", new { tenant = "demo", email = "admin@demo.test", password = MoonflowApiFactory.Password });
        await signIn.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    /// <summary>Production, with the signing key an operator would set.</summary>
    public sealed class ProductionFactory : MoonflowApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
            builder.UseSetting("Auth:SigningKey", "a-production-signing-key-set-by-the-operator-0123456789");
        }
    }
}

public sealed class MissingSigningKeyTests
{
    [Fact]
    public async Task Start_WhenNoSigningKeyAndNoAuthority_StopsNamingAuthSigningKeyBeforeTouchingTheDatabase()
    {
        var database = $"mf_test_nokey_{Guid.NewGuid():N}";
        var server = Environment.GetEnvironmentVariable("MOONFLOW_TEST_DB")
            ?? throw new InvalidOperationException("MOONFLOW_TEST_DB is not set: run the tests with build/test.sh, which starts PostgreSQL.");
        await using var factory = new NoSigningKeyFactory(new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString);

        var error = Record.Exception(() => factory.Services);

        Assert.NotNull(error);
        var messages = string.Join(" | ", Flatten(error).Select(e => e.Message));
        Assert.Contains("Auth:SigningKey is not set", messages);
        Assert.Contains("Auth:Authority", messages);
        Assert.Contains("Auth__SigningKey", messages);
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        Assert.Equal(0L, await exists.ExecuteScalarAsync()); // migrating would have created it
    }

    [Fact]
    public async Task Start_WhenSigningKeyIsTooShort_StopsSayingHowLongItMustBe()
    {
        var server = Environment.GetEnvironmentVariable("MOONFLOW_TEST_DB")!;
        await using var factory = new NoSigningKeyFactory(
            new NpgsqlConnectionStringBuilder(server) { Database = $"mf_test_nokey_{Guid.NewGuid():N}" }.ConnectionString, signingKey: "short-key");

        var error = Record.Exception(() => factory.Services);

        Assert.NotNull(error);
        Assert.Contains(Flatten(error), e => e.Message.Contains("Auth:SigningKey has 9 bytes", StringComparison.Ordinal) && e.Message.Contains("at least 32"));
    }

    private static IEnumerable<Exception> Flatten(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>Production without Auth:SigningKey (appsettings.json leaves it empty) and without Auth:Authority.</summary>
    private sealed class NoSigningKeyFactory(string connectionString, string signingKey = "") : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:Moonflow", connectionString);
            builder.UseSetting("Auth:SigningKey", signingKey);
            builder.UseSetting("Jobs:RunServer", "false");
        }
    }
}
