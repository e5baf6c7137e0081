namespace Moonflow.Application.Common.Email;

/// <summary>Sends one message now (SMTP, or a pickup folder in development); throws when the server refuses or cannot be reached.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

public sealed record EmailMessage(string To, string Subject, string TextBody, string HtmlBody);

/// <summary>The mail server could not take a message now (down, refusing); the outbox tries again later.</summary>
public sealed class EmailDeliveryException(string message, Exception? inner = null) : Exception(message, inner);
