using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Email;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;

namespace Moonflow.Application.Backups.DeliverBackupEmail;

/// <summary>
/// A job: sends one outbox email. While the server refuses or is down the email stays in the outbox with its next attempt
/// after a backoff (<c>Backups:EmailRetryDelays</c>), and the backup stays ready; once sent, the backup records when.
/// The row is locked while it is sent (skipping a locked one), so two jobs for the same email never send it twice.
/// </summary>
public sealed record DeliverBackupEmailCommand(Guid EmailId) : IRequest<bool>;

public sealed class DeliverBackupEmailCommandHandler(
    IBackupRequestRepository backups, IEmailSender sender, IBackupEmailScheduler scheduler, IUnitOfWork unitOfWork, ICurrentUser caller,
    IOptions<BackupOptions> options, TimeProvider clock, ILogger<DeliverBackupEmailCommandHandler> logger)
    : IRequestHandler<DeliverBackupEmailCommand, bool>
{
    public Task<bool> Handle(DeliverBackupEmailCommand request, CancellationToken cancellationToken) =>
        unitOfWork.InTransactionAsync(
            async () =>
            {
                var email = await backups.LockUnsentEmailAsync(request.EmailId, cancellationToken);
                if (email is null)
                {
                    return false;
                }

                try
                {
                    await sender.SendAsync(new EmailMessage(email.To, email.Subject, email.TextBody, email.HtmlBody), cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    var delay = options.Value.EmailRetryDelay(email.Attempts + 1);
                    email.MarkFailed($"{ex.GetType().Name}: {ex.Message}", clock.GetUtcNow(), delay);
                    logger.LogWarning(ex, "Backup email {EmailId} could not be sent (attempt {Attempt}); trying again in {Delay}", email.Id, email.Attempts, delay);
                    var tenantId = caller.TenantId;
                    unitOfWork.AfterCommit(() =>
                    {
                        scheduler.Schedule(tenantId, email.Id, delay);
                        return Task.CompletedTask;
                    });
                    return false;
                }

                var now = clock.GetUtcNow();
                email.MarkSent(now);
                (await backups.GetAsync(email.BackupId, cancellationToken))?.MarkEmailed(now);
                return true;
            },
            cancellationToken);
}
