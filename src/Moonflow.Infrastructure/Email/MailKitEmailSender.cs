using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Moonflow.Application.Common.Email;
using Moonflow.Infrastructure.Files;

namespace Moonflow.Infrastructure.Email;

/// <summary>The <c>Email</c> settings: an SMTP server, or (no host, the development default) a pickup folder of <c>.eml</c> files.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    public SmtpSettings Smtp { get; set; } = new();

    public string From { get; set; } = "Moonflow <no-reply@moonflow.local>";

    /// <summary>Where messages are written when no SMTP host is set; relative to the base the file store uses (<c>$MOONFLOW_HOME</c>, else <c>~/.local/share/moonflow</c>).</summary>
    public string PickupDirectory { get; set; } = ".local/mail";

    public string FullPickupDirectory() =>
        Path.GetFullPath(Path.IsPathRooted(PickupDirectory) ? PickupDirectory : Path.Combine(FileStorageOptions.HomeDirectory(), PickupDirectory));
}

public sealed class SmtpSettings
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>TLS: implicit on port 465, STARTTLS on any other port.</summary>
    public bool UseTls { get; set; } = true;

    public string? User { get; set; }

    public string? Password { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Sends with MailKit over SMTP, one connection per message (a few a day); without a host, writes a <c>.eml</c> file.</summary>
internal sealed class MailKitEmailSender(IOptions<EmailOptions> options, TimeProvider clock) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(settings.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Date = clock.GetUtcNow();
        mime.Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody();

        if (string.IsNullOrWhiteSpace(settings.Smtp.Host))
        {
            var folder = settings.FullPickupDirectory();
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, $"{clock.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid():N}.eml");
            await mime.WriteToAsync(path, cancellationToken);
            return;
        }

        using var client = new SmtpClient { Timeout = (int)settings.Smtp.Timeout.TotalMilliseconds };
        try
        {
            var security = !settings.Smtp.UseTls ? SecureSocketOptions.None
                : settings.Smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
            await client.ConnectAsync(settings.Smtp.Host, settings.Smtp.Port, security, cancellationToken);
            if (!string.IsNullOrEmpty(settings.Smtp.User))
            {
                await client.AuthenticateAsync(settings.Smtp.User, settings.Smtp.Password ?? string.Empty, cancellationToken);
            }

            await client.SendAsync(mime, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or IOException or System.Net.Sockets.SocketException or AuthenticationException or MailKit.ServiceNotConnectedException or MailKit.ServiceNotAuthenticatedException or TimeoutException)
        {
            throw new EmailDeliveryException($"The mail server {settings.Smtp.Host}:{settings.Smtp.Port} did not take the message: {ex.Message}", ex);
        }
    }
}
