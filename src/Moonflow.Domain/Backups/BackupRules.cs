using Moonflow.Domain.Common;

namespace Moonflow.Domain.Backups;

/// <summary>Seed 002: twice in any 360 days at most, 180 days apart at least (January, then July). The refusal says when.</summary>
public sealed class BackupQuotaMustAllowRule(BackupQuota quota, DateTimeOffset now) : IQuotaRule, IRuleDetails
{
    public string Code => "backup_quota_exceeded";

    public ErrorText Message =>
        $"A backup can be requested at most {BackupQuota.PerWindow} times in {BackupQuota.Window.TotalDays:0} days and at least {BackupQuota.MinimumGap.TotalDays:0} days apart; the next is allowed from {RetryAt:yyyy-MM-dd HH:mm} UTC.";

    public DateTimeOffset? RetryAt => quota.NextAllowedAt(now);

    public IReadOnlyDictionary<string, object?> Details => new Dictionary<string, object?>
    {
        ["used"] = quota.UsedAt(now),
        ["remaining"] = quota.RemainingAt(now),
    };

    public bool IsBroken() => quota.NextAllowedAt(now) > now;
}

public sealed class BackupMustBeActiveRule(BackupRequest backup, string action) : IBusinessRule
{
    public string Code => "backup_not_active";

    public ErrorText Message => $"Backup {backup.Id} is {backup.Status}; it cannot {action}.";

    public bool IsBroken() => !backup.IsActive;
}

/// <summary>A link (and a download) only while the archive is kept: after <c>Backups:FileRetention</c> it is gone for good.</summary>
public sealed class BackupFileMustBeKeptRule(BackupRequest backup, DateTimeOffset now) : IBusinessRule
{
    public string Code => backup.Status is BackupStatus.Ready or BackupStatus.Expired ? "backup_expired" : "backup_not_ready";

    public ErrorText Message => backup.Status switch
    {
        BackupStatus.Ready or BackupStatus.Expired =>
            $"The archive of backup {backup.Id} was kept until {backup.FileExpiresAt:yyyy-MM-dd HH:mm} UTC and is no longer available; request a new backup when the quota allows.",
        _ => $"Backup {backup.Id} is {backup.Status}; its archive is not ready.",
    };

    public bool IsBroken() => backup.Status != BackupStatus.Ready || backup.FileExpiresAt <= now;
}
