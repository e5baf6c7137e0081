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

    public string Title { get; private set; }

    public string Message { get; private set; }

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
        return new Notification
        {
            Id = Guid.CreateVersion7(now),
            TenantId = process.TenantId,
            UserId = process.RequestedBy,
            Title = process.Label,
            Message = $"{process.Label} {outcome}.",
            ProcessId = process.Id,
            CreatedAt = now,
        };
    }

    /// <summary>Tells an admin that a webhook endpoint was disabled after failing for days, and how to turn it back on.</summary>
    public static Notification WebhookDisabled(Guid tenantId, Guid adminId, string url, string reason, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        TenantId = tenantId,
        UserId = adminId,
        Title = "Webhook disabled",
        Message = $"The webhook endpoint {(url.Length > 300 ? url[..300] + "…" : url)} was disabled: {reason.TrimEnd('.')}. Fix the receiver, then enable it again (PATCH /api/v1/webhooks/{{id}} with enabled: true).",
        CreatedAt = now,
    };

    public void MarkRead(DateTimeOffset now) => ReadAt ??= now;
}
