using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql;

namespace Moonflow.Infrastructure.RateLimiting;

/// <summary>Requests of one caller in one fixed window (a minute by default).</summary>
internal sealed class RateLimitCounterRow
{
    public string Key { get; set; } = string.Empty;

    public DateTimeOffset WindowStart { get; set; }

    public int Hits { get; set; }
}

internal sealed class RateLimitCounterRowConfiguration : IEntityTypeConfiguration<RateLimitCounterRow>
{
    public void Configure(EntityTypeBuilder<RateLimitCounterRow> builder)
    {
        builder.ToTable("counters", "ratelimits");

        // Counters of the current minute: worth no WAL (a crash forgets at most a minute of counts).
        builder.IsUnlogged();
        builder.HasKey(r => new { r.Key, r.WindowStart });
        builder.Property(r => r.Key).HasMaxLength(200);
    }
}

/// <summary>
/// Fixed-window counters shared by every API node: one upsert per request adds the hit and returns the window's count,
/// so a limit holds however many nodes serve the caller.
/// </summary>
public sealed class RateLimitCounters(NpgsqlDataSource dataSource)
{
    public async Task<int> HitAsync(string key, DateTimeOffset windowStart, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO ratelimits.counters AS c (key, window_start, hits) VALUES ($1, $2, 1)
            ON CONFLICT (key, window_start) DO UPDATE SET hits = c.hits + 1
            RETURNING hits
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = windowStart });
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Forgets windows that ended before <paramref name="before"/> (the recurring purge).</summary>
    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM ratelimits.counters WHERE window_start < $1");
        command.Parameters.Add(new NpgsqlParameter { Value = before });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>The recurring job that deletes counters of past windows.</summary>
public sealed class RateLimitCountersJob(RateLimitCounters counters, TimeProvider clock)
{
    [Hangfire.AutomaticRetry(Attempts = 0)]
    public Task PurgeAsync(CancellationToken cancellationToken) => counters.PurgeAsync(clock.GetUtcNow() - TimeSpan.FromHours(1), cancellationToken);
}
