namespace Moonflow.Domain.Identity;

/// <summary>
/// How sign-in failures are throttled (spec §2): after <see cref="AccountFailures"/> failures for one account, or
/// <see cref="AddressFailures"/> from one address, counted while each came within <see cref="Window"/> of the one before,
/// sign-in is refused for a while, longer with each failure after the threshold. A success resets the account's count.
/// </summary>
public sealed record SignInThrottlePolicy(int AccountFailures, int AddressFailures, TimeSpan Window, TimeSpan FirstLock, TimeSpan MaxLock)
{
    public static readonly SignInThrottlePolicy Default = new(5, 20, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15));

    /// <summary>
    /// How long sign-in stays refused after the <paramref name="failures"/>-th failure in a row, for a key whose
    /// threshold is <paramref name="threshold"/>: nothing below it, then the first lock, doubling with each further failure.
    /// </summary>
    public TimeSpan? LockAfter(int failures, int threshold)
    {
        if (failures < threshold)
        {
            return null;
        }

        var doublings = Math.Min(failures - threshold, 16);
        var lockFor = FirstLock * Math.Pow(2, doublings);
        return lockFor < MaxLock ? lockFor : MaxLock;
    }
}
