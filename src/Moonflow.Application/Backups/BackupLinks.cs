using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Localization;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Identity;
using Moonflow.Domain.Backups;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Backups;

/// <summary>
/// Gives a ready backup a fresh signed link and puts the email carrying it in the outbox, in the caller's transaction; the
/// email is handed to the job engine once that transaction commits (a rolled-back one sends nothing).
/// </summary>
public sealed class BackupLinks(
    IBackupRequestRepository backups, IBackupLinkSigner signer, IBackupEmailScheduler scheduler, IUserRepository tenants,
    IUnitOfWork unitOfWork, IOptions<BackupOptions> options, TimeProvider clock)
{
    public async Task<BackupLinkIssued> IssueAndEmailAsync(BackupRequest backup, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var expiresAt = backup.IssueLink(now, options.Value.LinkLifetime);
        var token = signer.Sign(new BackupLink(backup.TenantId, backup.Id, expiresAt));
        var url = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/api/v1/backups/download?token={Uri.EscapeDataString(token)}";
        var tenant = await tenants.GetTenantAsync(backup.TenantId, cancellationToken) ?? throw new NotFoundException("Tenant", backup.TenantId);
        var (subject, text, html) = BackupMessage.Compose(tenant, backup, url, expiresAt);
        var email = BackupEmail.Compose(backup, subject, text, html, now);
        backups.AddEmail(email);
        unitOfWork.AfterCommit(() =>
        {
            scheduler.Schedule(backup.TenantId, email.Id, TimeSpan.Zero);
            return Task.CompletedTask;
        });
        return new BackupLinkIssued(backup.Id, expiresAt, backup.RequestedByEmail);
    }
}

/// <summary>
/// The "your backup is ready" email, from the texts of the tenant's language (Spanish unless it chose English: the
/// recipient reads it outside any request), dates written as that language writes them, times in the tenant's zone.
/// </summary>
public static class BackupMessage
{
    public static (string Subject, string Text, string Html) Compose(Tenant tenant, BackupRequest backup, string url, DateTimeOffset linkExpiresAt)
    {
        var language = Texts.Spoken(tenant.Language) ?? Texts.DefaultLanguage;
        string Say(string key, params object?[] arguments) => Texts.Default.In(language, key, arguments)
            ?? throw new InvalidOperationException($"The text '{key}' is missing in language '{language}'.");
        var culture = CultureInfo.GetCultureInfo(Say("email.culture"));
        string Local(DateTimeOffset at, string formatKey) =>
            TimeZoneInfo.ConvertTime(at, tenant.TimeZone).ToString(Say(formatKey), culture) + $" ({tenant.TimeZoneId})";

        var expires = Local(linkExpiresAt, "email.date_time_format");
        var kept = Local(backup.FileExpiresAt!.Value, "email.date_format");
        var subject = Say("email.backup_ready.subject", tenant.Name);
        var text = Say("email.backup_ready.text", Local(backup.RequestedAt, "email.date_format"), url, expires, kept);
        var html = Html(
            subject, Say("email.backup_ready.greeting"), Say("email.backup_ready.lead"), url, Say("email.backup_ready.action"),
            Say("email.backup_ready.note", expires, kept));
        return (subject, text, html);
    }

    private static string Html(string title, string greeting, string lead, string url, string action, string note)
    {
        var e = (string s) => WebUtility.HtmlEncode(s);
        return $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{e(title)}</title></head><body>"
            + $"<p>{e(greeting)}</p><p>{e(lead)}</p><p><a href=\"{e(url)}\">{e(action)}</a></p><p>{e(note)}</p><p>Moonflow</p></body></html>";
    }
}
