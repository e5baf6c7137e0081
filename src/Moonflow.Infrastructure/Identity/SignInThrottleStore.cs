using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moonflow.Application.Identity;
using Moonflow.Domain.Identity;
using Npgsql;

namespace Moonflow.Infrastructure.Identity;

/// <summary>One throttle key's failures in a row (an account or an address), shared by every API node.</summary>
internal sealed class SignInThrottleRow
{
    public string Key { get; set; } = string.Empty;

    public int Failures { get; set; }

    public DateTimeOffset LastFailureAt { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }
}

internal sealed class SignInThrottleRowConfiguration : IEntityTypeConfiguration<SignInThrottleRow>
{
    public void Configure(EntityTypeBuilder<SignInThrottleRow> builder)
    {
        builder.ToTable("sign_in_throttles", "identity");
        builder.HasKey(r => r.Key);
        builder.Property(r => r.Key).HasMaxLength(400);
    }
}

/// <summary>
/// The counters in PostgreSQL, on a pooled connection of their own. A failure is counted by one upsert per key (the
/// database serialises concurrent ones on the row), so every node sees the same count and the same lock.
/// </summary>
internal sealed class SignInThrottleStore(NpgsqlDataSource dataSource) : ISignInThrottle
{
    public async Task<DateTimeOffset?> LockedUntilAsync(SignInKeys keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT max(locked_until) FROM identity.sign_in_throttles WHERE key = ANY($1) AND locked_until > $2");
        command.Parameters.Add(new NpgsqlParameter { Value = Keys(keys) });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime until ? new DateTimeOffset(until, TimeSpan.Zero) : null;
    }

    public async Task<DateTimeOffset?> RecordFailureAsync(SignInKeys keys, SignInThrottlePolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        DateTimeOffset? longest = null;
        foreach (var (key, threshold) in new[] { (keys.Account, policy.AccountFailures), (keys.Address, policy.AddressFailures) })
        {
            if (key is null)
            {
                continue;
            }

            // A failure more than the window after the previous one starts a new run.
            await using var count = dataSource.CreateCommand(
                """
                INSERT INTO identity.sign_in_throttles AS t (key, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, NULL)
                ON CONFLICT (key) DO UPDATE SET
                    failures = CASE WHEN t.last_failure_at < $2 - $3 THEN 1 ELSE t.failures + 1 END,
                    last_failure_at = $2
                RETURNING failures
                """);
            count.Parameters.Add(new NpgsqlParameter { Value = key });
            count.Parameters.Add(new NpgsqlParameter { Value = now });
            count.Parameters.Add(new NpgsqlParameter { Value = policy.Window });
            var failures = (int)(await count.ExecuteScalarAsync(cancellationToken))!;
            if (policy.LockAfter(failures, threshold) is not { } lockFor)
            {
                continue;
            }

            var until = now + lockFor;
            await using var lockKey = dataSource.CreateCommand(
                "UPDATE identity.sign_in_throttles SET locked_until = GREATEST(coalesce(locked_until, $2), $2) WHERE key = $1");
            lockKey.Parameters.Add(new NpgsqlParameter { Value = key });
            lockKey.Parameters.Add(new NpgsqlParameter { Value = until });
            await lockKey.ExecuteNonQueryAsync(cancellationToken);
            longest = longest is { } l && l > until ? l : until;
        }

        return longest;
    }

    public async Task ResetAccountAsync(SignInKeys keys, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM identity.sign_in_throttles WHERE key = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Account });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string[] Keys(SignInKeys keys) => keys.Address is null ? [keys.Account] : [keys.Account, keys.Address];
}
