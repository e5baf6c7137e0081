using Moonflow.Domain.Backups;
using Moonflow.Domain.Common;
using Moonflow.Domain.Tests.Support;

namespace Moonflow.Domain.Tests.Backups;

public sealed class BackupRequestTests
{
    private static readonly Guid Tenant = Guid.NewGuid();
    private static readonly Guid User = Guid.NewGuid();
    private static readonly DateTimeOffset January = new(2027, 1, 15, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    [Fact]
    public void Request_WhenTheTenantHasNoBackups_IsAccepted()
    {
        var backup = Request([], January);

        Assert.Equal(BackupStatus.Requested, backup.Status);
        Assert.Equal("ana@demo.test", backup.RequestedByEmail);
        Assert.True(backup.CountsAgainstQuota);
    }

    [Fact]
    public void Request_WhenTheLastWasInJanuary_IsAllowedInJuly()
    {
        var first = Request([], January);

        var july = Request([first], new DateTimeOffset(2027, 7, 15, 10, 0, 0, TimeSpan.Zero));

        Assert.Equal(BackupStatus.Requested, july.Status);
    }

    [Fact]
    public void Request_WhenTheLastWasInJanuary_IsRefusedInJuneNamingTheDayItIsAllowed()
    {
        var first = Request([], January);

        var refusal = Assert.Throws<BusinessRuleValidationException>(() => Request([first], new DateTimeOffset(2027, 6, 20, 10, 0, 0, TimeSpan.Zero)));

        var quota = Assert.IsAssignableFrom<IQuotaRule>(refusal.BrokenRule);
        Assert.Equal("backup_quota_exceeded", quota.Code);
        Assert.Equal(January + BackupQuota.MinimumGap, quota.RetryAt);
        Assert.Equal(new DateTimeOffset(2027, 7, 14, 10, 0, 0, TimeSpan.Zero), quota.RetryAt);
        Assert.Equal(1, ((IRuleDetails)refusal.BrokenRule).Details["used"]);
    }

    [Fact]
    public void Request_WhenTwoAreWithinTheLast360Days_IsRefusedUntilTheOlderLeavesTheWindow()
    {
        var first = Request([], January);
        var second = Request([first], January.AddDays(181));
        var third = January.AddDays(359);

        var refusal = Assert.Throws<BusinessRuleValidationException>(() => Request([first, second], third));

        var quota = (IQuotaRule)refusal.BrokenRule;
        Assert.Equal(January.AddDays(361), quota.RetryAt); // 180 days after the second
        Assert.Equal(2, ((IRuleDetails)refusal.BrokenRule).Details["used"]);
        Assert.Equal(0, ((IRuleDetails)refusal.BrokenRule).Details["remaining"]);
        Assert.Equal(BackupStatus.Requested, Request([first, second], January.AddDays(361)).Status);
    }

    [Fact]
    public void NextAllowedAt_WhenTwoCountedBackupsAreCloserThan180Days_WaitsForTheOlderToLeaveThe360DayWindow()
    {
        // Backups that count, closer than the gap (e.g. one allowed by support): the window decides.
        var quota = new BackupQuota([January, January.AddDays(10)]);

        Assert.Equal(January.AddDays(360), quota.NextAllowedAt(January.AddDays(200)));
        Assert.Equal(2, quota.UsedAt(January.AddDays(200)));
        Assert.Equal(0, quota.UsedAt(January.AddDays(371)));
    }

    [Theory]
    [InlineData(BackupStatus.Failed)]
    [InlineData(BackupStatus.Cancelled)]
    public void Request_WhenTheOnlyEarlierBackupEndedWithoutAnArchive_IsNotCounted(BackupStatus ended)
    {
        var first = Request([], January);
        first.End(ended, "disk full", January.AddHours(1));

        var again = Request([first], January.AddDays(1));

        Assert.False(first.CountsAgainstQuota);
        Assert.Equal(BackupStatus.Requested, again.Status);
        Assert.Equal(0, BackupQuota.Of([first]).UsedAt(January.AddDays(1)));
    }

    [Fact]
    public void Request_WhenAnEarlierBackupExpired_StillCountsIt()
    {
        var first = Ready(Request([], January), January.AddHours(1));
        Assert.True(first.Expire(January.AddDays(30)));

        RuleAssert.Broken("backup_quota_exceeded", () => Request([first], January.AddDays(31)));
    }

    [Fact]
    public void MarkReady_WhenGenerating_KeepsTheArchiveForTheRetention()
    {
        var backup = Ready(Request([], January), January.AddHours(2));

        Assert.Equal(BackupStatus.Ready, backup.Status);
        Assert.Equal(January.AddHours(2) + Retention, backup.FileExpiresAt);
        Assert.Equal(12, backup.Entries);
    }

    [Fact]
    public void IssueLink_WhenTheArchiveIsKeptShorterThanTheLinkLifetime_EndsWithTheArchive()
    {
        var backup = Ready(Request([], January), January);

        var expires = backup.IssueLink(January.AddDays(6), TimeSpan.FromHours(72));

        Assert.Equal(January + Retention, expires);
        Assert.Equal(expires, backup.LinkExpiresAt);
    }

    [Fact]
    public void IssueLink_WhenTheRetentionHasPassed_IsRefusedAsExpired()
    {
        var backup = Ready(Request([], January), January);

        RuleAssert.Broken("backup_expired", () => backup.IssueLink(January + Retention, TimeSpan.FromHours(72)));
        Assert.True(backup.Expire(January + Retention));
        Assert.Equal(BackupStatus.Expired, backup.Status);
        Assert.Null(backup.StorageKey);
    }

    [Fact]
    public void IssueLink_WhenStillGenerating_IsRefused()
    {
        var backup = Request([], January);

        RuleAssert.Broken("backup_not_ready", () => backup.IssueLink(January, TimeSpan.FromHours(72)));
    }

    [Fact]
    public void End_WhenAlreadyReady_ChangesNothing()
    {
        var backup = Ready(Request([], January), January);

        backup.End(BackupStatus.Failed, "late failure", January.AddHours(1));

        Assert.Equal(BackupStatus.Ready, backup.Status);
        RuleAssert.Invalid("status", () => backup.End(BackupStatus.Ready, null, January));
    }

    [Fact]
    public void RecordDownload_WhenReady_LogsWhenWhereAndWith()
    {
        var backup = Ready(Request([], January), January);

        backup.RecordDownload(January.AddHours(3), "203.0.113.9", "curl/8.5", "bytes=0-99");

        var download = Assert.Single(backup.Downloads);
        Assert.Equal(("203.0.113.9", "curl/8.5", "bytes=0-99"), (download.IpAddress, download.UserAgent, download.Range));
    }

    private static BackupRequest Request(IReadOnlyList<BackupRequest> earlier, DateTimeOffset at) =>
        BackupRequest.Request(Tenant, User, "ana@demo.test", BackupQuota.Of(earlier), at);

    private static BackupRequest Ready(BackupRequest backup, DateTimeOffset at)
    {
        backup.StartGenerating(at);
        backup.MarkReady("backups/x.zip", 1234, 12, at, Retention);
        return backup;
    }
}
