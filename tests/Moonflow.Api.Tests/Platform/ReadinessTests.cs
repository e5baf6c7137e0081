using System.Net;
using Moonflow.Api.Tests.Support;
using Npgsql;

namespace Moonflow.Api.Tests.Platform;

/// <summary><c>/health/ready</c> tells a load balancer the truth: 503 while the database refuses connections, 200 once it takes them again.</summary>
public sealed class ReadinessTests(ReadinessTests.UnreachableDatabaseFactory api) : IClassFixture<ReadinessTests.UnreachableDatabaseFactory>
{
    [Fact]
    public async Task HealthReady_WhenTheDatabaseRefusesConnections_Answers503AndRecoversWhenItIsBack()
    {
        var client = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        await api.RefuseConnectionsAsync(refuse: true);
        try
        {
            var down = await client.GetAsync("/health/ready");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("Unhealthy", await down.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            await api.RefuseConnectionsAsync(refuse: false);
        }

        // Connections the server closed may still sit in the pool; each failure discards one, so wait for a healthy answer.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        while ((status = (await client.GetAsync("/health/ready")).StatusCode) != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.OK, status);
    }

    /// <summary>Its own database, so that refusing its connections disturbs no other test.</summary>
    public sealed class UnreachableDatabaseFactory : MoonflowApiFactory
    {
        protected override bool RunJobServer => false;

        /// <summary>Like a database that is down: new connections are refused and open ones are cut.</summary>
        public async Task RefuseConnectionsAsync(bool refuse)
        {
            var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
            var server = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using (var alter = new NpgsqlCommand($"ALTER DATABASE \"{database}\" WITH ALLOW_CONNECTIONS {(refuse ? "false" : "true")}", connection))
            {
                await alter.ExecuteNonQueryAsync();
            }

            if (refuse)
            {
                await using var cut = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @name", connection);
                cut.Parameters.AddWithValue("name", database);
                await cut.ExecuteScalarAsync();
            }
        }
    }
}
