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
/// The counters in PostgreSQL, on a pooled connection of their own. An attempt is counted by one upsert per key, which
/// the database serialises on the key's row: of 30 concurrent attempts for one account exactly the first 5 are counted
/// and checked, and the 5th locks the account for the other 25. Every node sees the same counts and locks.
/// </summary>
internal sealed class SignInThrottleStore(NpgsqlDataSource dataSource) : ISignInThrottle
{
    public async Task<DateTimeOffset?> BeginAttemptAsync(SignInKeys keys, SignInThrottlePolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var counted = new List<(string Key, int Threshold)>();
        foreach (var (key, threshold) in Keys(keys, policy))
        {
            if (await CountAsync(key, threshold, policy, now, cancellationToken) is { } lockedUntil)
            {
                // Refused by this key: the keys already counted give this attempt back, it checks nothing.
                foreach (var (done, doneThreshold) in counted)
                {
                    await GiveBackAsync(done, doneThreshold, cancellationToken);
                }

                return lockedUntil;
            }

            counted.Add((key, threshold));
        }

        return null;
    }

    public async Task SucceededAsync(SignInKeys keys, SignInThrottlePolicy policy, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM identity.sign_in_throttles WHERE key = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Account });
        await command.ExecuteNonQueryAsync(cancellationToken);
        if (keys.Address is not null)
        {
            await GiveBackAsync(keys.Address, policy.AddressFailures, cancellationToken);
        }
    }

    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "DELETE FROM identity.sign_in_throttles WHERE last_failure_at < $1 AND (locked_until IS NULL OR locked_until < $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = before });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// In one short transaction, the key's row locked first: a locked key is left as it is (the refused attempt does not grow the count); otherwise the attempt
    /// is counted (a run older than the window starts again at 1), and, from the threshold on, locks the key for the
    /// policy's time (first lock, doubling with each further attempt). Returns the lock's end when refused.
    /// </summary>
    private async Task<DateTimeOffset?> CountAsync(string key, int threshold, SignInThrottlePolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The key's row locked first: concurrent attempts for one key queue here, and each sees the lock the one before set.
        await using var current = new NpgsqlCommand("SELECT locked_until FROM identity.sign_in_throttles WHERE key = $1 FOR UPDATE", connection, transaction);
        current.Parameters.Add(new NpgsqlParameter { Value = key });
        if (await current.ExecuteScalarAsync(cancellationToken) is DateTime locked && new DateTimeOffset(locked, TimeSpan.Zero) > now)
        {
            await transaction.CommitAsync(cancellationToken);
            return new DateTimeOffset(locked, TimeSpan.Zero);
        }

        await using var count = new NpgsqlCommand(
            """
            INSERT INTO identity.sign_in_throttles AS t (key, failures, last_failure_at, locked_until)
            VALUES ($1, 1, $2, CASE WHEN 1 >= $4 THEN $2 + $5 END)
            ON CONFLICT (key) DO UPDATE SET
                failures = CASE WHEN t.last_failure_at < $2 - $3 THEN 1 ELSE t.failures + 1 END,
                last_failure_at = $2,
                locked_until = CASE
                    WHEN (CASE WHEN t.last_failure_at < $2 - $3 THEN 1 ELSE t.failures + 1 END) >= $4
                        THEN $2 + LEAST($6, $5 * power(2, LEAST((CASE WHEN t.last_failure_at < $2 - $3 THEN 1 ELSE t.failures + 1 END) - $4, 16)))
                    ELSE NULL END
            """,
            connection,
            transaction);
        count.Parameters.Add(new NpgsqlParameter { Value = key });
        count.Parameters.Add(new NpgsqlParameter { Value = now });
        count.Parameters.Add(new NpgsqlParameter { Value = policy.Window });
        count.Parameters.Add(new NpgsqlParameter { Value = threshold });
        count.Parameters.Add(new NpgsqlParameter { Value = policy.FirstLock });
        count.Parameters.Add(new NpgsqlParameter { Value = policy.MaxLock });
        await count.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    /// <summary>Takes back one counted attempt, and the lock it set in advance when that leaves the count under the threshold.</summary>
    private async Task GiveBackAsync(string key, int threshold, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE identity.sign_in_throttles SET
                failures = greatest(failures - 1, 0),
                locked_until = CASE WHEN failures - 1 < $2 THEN NULL ELSE locked_until END
            WHERE key = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = threshold });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static IEnumerable<(string Key, int Threshold)> Keys(SignInKeys keys, SignInThrottlePolicy policy) =>
        keys.Address is null ? [(keys.Account, policy.AccountFailures)] : [(keys.Account, policy.AccountFailures), (keys.Address, policy.AddressFailures)];
}

/// <summary>
/// The recurring job (<c>signin-throttles-purge</c>) that forgets keys nobody tried for longer than the window and whose
/// lock is over: a new attempt for them would start again at 1 anyway, so the table only holds what still counts.
/// </summary>
public sealed class SignInThrottleJob(ISignInThrottle throttle, Microsoft.Extensions.Options.IOptions<SignInThrottleOptions> options, TimeProvider clock)
{
    [Hangfire.AutomaticRetry(Attempts = 0)]
    public Task<int> PurgeAsync(CancellationToken cancellationToken) =>
        throttle.PurgeAsync(clock.GetUtcNow() - options.Value.Policy().Window, cancellationToken);
}
