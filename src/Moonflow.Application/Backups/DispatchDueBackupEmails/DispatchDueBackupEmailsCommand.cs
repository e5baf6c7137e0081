using MediatR;
using Moonflow.Application.Common.Persistence;

namespace Moonflow.Application.Backups.DispatchDueBackupEmails;

/// <summary>
/// A recurring job: emails still in the outbox whose attempt is overdue (their job was lost, say a node died before enqueuing
/// it) are handed to the job engine again. Sending skips an email another job is sending, and one already sent.
/// </summary>
public sealed record DispatchDueBackupEmailsCommand : IRequest<int>;

public sealed class DispatchDueBackupEmailsCommandHandler(IBackupRequestRepository backups, IBackupEmailScheduler scheduler, TimeProvider clock)
    : IRequestHandler<DispatchDueBackupEmailsCommand, int>
{
    /// <summary>The job enqueued with the email, or its scheduled retry, gets this long to run first.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    public async Task<int> Handle(DispatchDueBackupEmailsCommand request, CancellationToken cancellationToken)
    {
        var due = await backups.FindDueEmailsAsync(clock.GetUtcNow() - Grace, cancellationToken);
        foreach (var (tenantId, emailId) in due)
        {
            scheduler.Schedule(tenantId, emailId, TimeSpan.Zero);
        }

        return due.Count;
    }
}
