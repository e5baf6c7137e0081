using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity;

/// <summary>
/// The sign-in throttle's counters, shared by every API node (PostgreSQL). Keys are an account (tenant slug and e-mail,
/// whether or not it exists, so the answer tells nothing) and an address.
/// </summary>
public interface ISignInThrottle
{
    /// <summary>Until when sign-in is refused for any of these keys, or null when it is not.</summary>
    Task<DateTimeOffset?> LockedUntilAsync(SignInKeys keys, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Counts a failure for each key and locks the keys that reached their threshold; returns the longest lock set.</summary>
    Task<DateTimeOffset?> RecordFailureAsync(SignInKeys keys, SignInThrottlePolicy policy, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>A success clears the account's failures (not the address's: one office behind one address is many people).</summary>
    Task ResetAccountAsync(SignInKeys keys, CancellationToken cancellationToken);
}

/// <summary>The throttle's keys of one attempt; <see cref="Address"/> is null when the address is unknown.</summary>
public sealed record SignInKeys(string Account, string? Address)
{
    public static SignInKeys For(string tenantSlug, string email, string? address) =>
        new($"account:{tenantSlug}/{email}", address is null ? null : $"address:{address}");
}

/// <summary>Section <c>SignIn</c>: the figures of <see cref="SignInThrottlePolicy"/>.</summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "SignIn";

    public int AccountFailures { get; set; } = SignInThrottlePolicy.Default.AccountFailures;

    public int AddressFailures { get; set; } = SignInThrottlePolicy.Default.AddressFailures;

    public TimeSpan Window { get; set; } = SignInThrottlePolicy.Default.Window;

    public TimeSpan FirstLock { get; set; } = SignInThrottlePolicy.Default.FirstLock;

    public TimeSpan MaxLock { get; set; } = SignInThrottlePolicy.Default.MaxLock;

    public SignInThrottlePolicy Policy() => new(AccountFailures, AddressFailures, Window, FirstLock, MaxLock);
}
