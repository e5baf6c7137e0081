using Moonflow.Domain.Common;

namespace Moonflow.Domain.Backups;

/// <summary>
/// A message waiting to leave (the outbox): written in the same transaction as the change that causes it, sent after the
/// commit by a job that retries with backoff while the mail server refuses. Never lost, never sent before its cause commits.
/// </summary>
public sealed class BackupEmail : ITenantOwned
{
    private BackupEmail()
    {
        To = Subject = TextBody = HtmlBody = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid BackupId { get; private set; }

    public string To { get; private set; }

    public string Subject { get; private set; }

    public string TextBody { get; private set; }

    public string HtmlBody { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    public static BackupEmail Compose(BackupRequest backup, string subject, string textBody, string htmlBody, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        TenantId = backup.TenantId,
        BackupId = backup.Id,
        To = backup.RequestedByEmail,
        Subject = Guard.Required(subject, nameof(subject), 300),
        TextBody = textBody,
        HtmlBody = htmlBody,
        CreatedAt = now,
        NextAttemptAt = now,
    };

    public void MarkSent(DateTimeOffset now)
    {
        Attempts++;
        SentAt = now;
        LastError = null;
    }

    /// <summary>The server refused or could not be reached: the next attempt is due after <paramref name="backoff"/>.</summary>
    public void MarkFailed(string error, DateTimeOffset now, TimeSpan backoff)
    {
        Attempts++;
        LastError = error.Length <= 1000 ? error : error[..1000];
        NextAttemptAt = now + backoff;
    }
}
