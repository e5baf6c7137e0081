using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity;

/// <summary>
/// The sign-in throttle's counters, shared by every API node (PostgreSQL). Keys are an account (tenant slug and e-mail,
/// whether or not it exists, so the answer tells nothing) and an address.
/// </summary>
public interface ISignInThrottle
{
    /// <summary>
    /// Counts an attempt for each key <em>before</em> its password is checked, so that concurrent attempts cannot all be
    /// checked while the count is below the threshold: refused (the lock's end is returned, nothing counted) while any key
    /// is locked; otherwise counted, and the attempt that reaches a key's threshold locks that key for the next ones at
    /// once, as if it failed. Null when the attempt may check its password.
    /// </summary>
    Task<DateTimeOffset?> BeginAttemptAsync(SignInKeys keys, SignInThrottlePolicy policy, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// A success clears the account's count (not the address's: one office behind one address is many people), and gives
    /// back the address the attempt it counted, with the lock that attempt set in advance.
    /// </summary>
    Task SucceededAsync(SignInKeys keys, SignInThrottlePolicy policy, CancellationToken cancellationToken);

    /// <summary>Forgets keys whose last attempt and lock are both older than <paramref name="before"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken);
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
