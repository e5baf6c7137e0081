using Moonflow.Domain.Identity;

namespace Moonflow.Domain.Tests.Identity;

public sealed class SignInThrottlePolicyTests
{
    [Theory]
    [InlineData(4, null)]
    [InlineData(5, 1)]
    [InlineData(6, 2)]
    [InlineData(7, 4)]
    [InlineData(8, 8)]
    [InlineData(9, 15)]
    [InlineData(40, 15)]
    public void LockAfter_WhenFailuresPassTheThreshold_LocksLongerEachTimeUpToTheCeiling(int failures, int? minutes)
    {
        var lockFor = SignInThrottlePolicy.Default.LockAfter(failures, SignInThrottlePolicy.Default.AccountFailures);

        Assert.Equal(minutes is null ? null : TimeSpan.FromMinutes(minutes.Value), lockFor);
    }
}
