using System.Globalization;
using Moonflow.Domain.Common;
using Moonflow.Domain.Processes;

namespace Moonflow.Domain.Notifications;

/// <summary>An entry in a user's bell: for now, "your process finished".</summary>
public sealed class Notification : AggregateRoot, ITenantOwned
{
    private Notification()
    {
        Title = Message = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The title as first written (English); read as it is where <see cref="TitleText"/> is missing (rows older than it).</summary>
    public string Title { get; private set; }

    public string Message { get; private set; }

    /// <summary>The title by key and arguments, said in the reader's language.</summary>
    public StoredText? TitleText { get; private set; }

    public StoredText? MessageText { get; private set; }

    public Guid? ProcessId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ReadAt { get; private set; }

    public static Notification ProcessFinished(BulkProcess process, DateTimeOffset now)
    {
        if (!process.IsFinished)
        {
            throw new DomainValidationException(nameof(process), "Only a finished process is notified.");
        }

        var outcome = process.Status switch
        {
            ProcessStatus.Completed => $"completed: {process.Succeeded} of {process.Total} records done",
            ProcessStatus.CompletedWithErrors => $"completed with errors: {process.Succeeded} done, {process.Failed} failed",
            ProcessStatus.Cancelled => $"was cancelled after {process.Processed} of {process.Total} records",
            _ => $"failed: {process.FailureReason?.TrimEnd('.')}",
        };
        var label = (object?)process.LabelText ?? process.Label;
        var message = process.Status switch
        {
            ProcessStatus.Completed => StoredText.Of(Keys.ProcessCompleted, label, process.Succeeded, process.Total),
            ProcessStatus.CompletedWithErrors => StoredText.Of(Keys.ProcessCompletedWithErrors, label, process.Succeeded, process.Failed),
            ProcessStatus.Cancelled => StoredText.Of(Keys.ProcessCancelled, label, process.Processed, process.Total),
            _ => StoredText.Of(Keys.ProcessFailed, label, process.FailureReason?.TrimEnd('.')),
        };
        return new Notification
        {
            Id = Guid.CreateVersion7(now),
            TenantId = process.TenantId,
            UserId = process.RequestedBy,
            Title = process.Label,
            Message = $"{process.Label} {outcome}.",
            TitleText = process.LabelText,
            MessageText = message,
            ProcessId = process.Id,
            CreatedAt = now,
        };
    }

    /// <summary>Tells an admin that a webhook endpoint was disabled after failing for days, and how to turn it back on.</summary>
    public static Notification WebhookDisabled(Guid tenantId, Guid adminId, string url, string reason, DateTimeOffset failingSince, DateTimeOffset now)
    {
        // The reason is the endpoint's (English, as the API shows it); the notification keeps it by key, to be said in the reader's language.
        var reasonText = StoredText.Of(
            Keys.WebhookFailedFromTo,
            failingSince.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            now.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        var shownUrl = url.Length > 300 ? url[..300] + "…" : url;
        return new()
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            UserId = adminId,
            Title = "Webhook disabled",
            Message = $"The webhook endpoint {shownUrl} was disabled: {reason.TrimEnd('.')}. Fix the receiver, then enable it again (PATCH /api/v1/webhooks/{{id}} with enabled: true).",
            TitleText = StoredText.Of(Keys.WebhookDisabledTitle),
            MessageText = StoredText.Of(Keys.WebhookDisabled, shownUrl, reasonText),
            CreatedAt = now,
        };
    }

    public void MarkRead(DateTimeOffset now) => ReadAt ??= now;

    /// <summary>The keys of every notification's texts (each has a text in every language).</summary>
    public static class Keys
    {
        public const string ProcessCompleted = "notification.process_completed";
        public const string ProcessCompletedWithErrors = "notification.process_completed_with_errors";
        public const string ProcessCancelled = "notification.process_cancelled";
        public const string ProcessFailed = "notification.process_failed";
        public const string WebhookDisabledTitle = "notification.webhook_disabled.title";
        public const string WebhookDisabled = "notification.webhook_disabled";
        public const string WebhookFailedFromTo = "notification.webhook_disabled.failed_from_to";

        public static readonly IReadOnlyList<string> All =
            [ProcessCompleted, ProcessCompletedWithErrors, ProcessCancelled, ProcessFailed, WebhookDisabledTitle, WebhookDisabled];
    }
}
