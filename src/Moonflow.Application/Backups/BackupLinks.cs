using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Exceptions;
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

/// <summary>The "your backup is ready" email, in the tenant's language (Spanish unless it chose English), times in its zone.</summary>
public static class BackupMessage
{
    public static (string Subject, string Text, string Html) Compose(Tenant tenant, BackupRequest backup, string url, DateTimeOffset linkExpiresAt)
    {
        var zone = tenant.TimeZone;
        string Local(DateTimeOffset at, string format, CultureInfo culture) =>
            TimeZoneInfo.ConvertTime(at, zone).ToString(format, culture) + $" ({tenant.TimeZoneId})";

        if (tenant.Language == "en")
        {
            var en = CultureInfo.GetCultureInfo("en-US");
            var expires = Local(linkExpiresAt, "MMMM d, yyyy h:mm tt", en);
            var kept = Local(backup.FileExpiresAt!.Value, "MMMM d, yyyy", en);
            var subject = $"Your {tenant.Name} data backup is ready";
            var text =
                $"Hello,\r\n\r\nThe data backup you requested on {Local(backup.RequestedAt, "MMMM d, yyyy", en)} is ready. Download it from this link:\r\n\r\n{url}\r\n\r\n"
                + $"The link expires on {expires}; please download the file as soon as possible. While the file is kept (until {kept}) you can ask for a new link from DATA BACKUP.\r\n\r\nMoonflow\r\n";
            return (subject, text, Html(subject, "Hello,", $"The data backup you requested is ready.", url, "Download the backup", $"The link expires on {expires}. While the file is kept (until {kept}) you can ask for a new link from DATA BACKUP."));
        }

        var es = CultureInfo.GetCultureInfo("es-CO");
        var vence = Local(linkExpiresAt, "dd/MM/yyyy HH:mm", es);
        var conserva = Local(backup.FileExpiresAt!.Value, "dd/MM/yyyy", es);
        var asunto = $"Tu respaldo de información de {tenant.Name} está listo";
        var texto =
            $"Hola:\r\n\r\nEl respaldo de información que solicitaste el {Local(backup.RequestedAt, "dd/MM/yyyy", es)} está listo. Descárgalo desde este enlace:\r\n\r\n{url}\r\n\r\n"
            + $"El enlace vence el {vence}; te recomendamos descargar el archivo a la mayor brevedad posible. Mientras el archivo se conserve (hasta el {conserva}) puedes pedir un enlace nuevo desde RESPALDO DE INFORMACIÓN.\r\n\r\nMoonflow\r\n";
        return (asunto, texto, Html(asunto, "Hola:", "El respaldo de información que solicitaste está listo.", url, "Descargar el respaldo", $"El enlace vence el {vence}. Mientras el archivo se conserve (hasta el {conserva}) puedes pedir un enlace nuevo desde RESPALDO DE INFORMACIÓN."));
    }

    private static string Html(string title, string greeting, string lead, string url, string action, string note)
    {
        var e = (string s) => WebUtility.HtmlEncode(s);
        return $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{e(title)}</title></head><body>"
            + $"<p>{e(greeting)}</p><p>{e(lead)}</p><p><a href=\"{e(url)}\">{e(action)}</a></p><p>{e(note)}</p><p>Moonflow</p></body></html>";
    }
}
