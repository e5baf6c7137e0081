using Hangfire;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moonflow.Application.Backups;
using Moonflow.Application.Backups.DeliverBackupEmail;
using Moonflow.Application.Backups.DispatchDueBackupEmails;
using Moonflow.Application.Backups.ExpireBackups;
using Moonflow.Application.Common.Security;

namespace Moonflow.Infrastructure.Backups;

/// <summary>The Hangfire entry points of backups: sending an outbox email, and the two recurring sweeps.</summary>
public sealed class BackupJob(IServiceScopeFactory scopes, ILogger<BackupJob> logger)
{
    /// <summary>
    /// One attempt per job: a refused send is recorded on the email and its next attempt scheduled by the handler with the
    /// configured backoff; Hangfire's own retries only cover errors of the database itself.
    /// </summary>
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120])]
    [JobDisplayName("Backup email {1}")]
    public async Task DeliverEmailAsync(Guid tenantId, Guid emailId, CancellationToken cancellationToken) =>
        await SendAsync(tenantId, new DeliverBackupEmailCommand(emailId), cancellationToken);

    [AutomaticRetry(Attempts = 0)]
    public async Task DispatchDueEmailsAsync(CancellationToken cancellationToken)
    {
        var dispatched = await SendAsync(null, new DispatchDueBackupEmailsCommand(), cancellationToken);
        if (dispatched > 0)
        {
            logger.LogWarning("Dispatched {Count} backup emails whose job had not run", dispatched);
        }
    }

    [AutomaticRetry(Attempts = 1)]
    public async Task ExpireAsync(CancellationToken cancellationToken)
    {
        var expired = await SendAsync(null, new ExpireBackupsCommand(), cancellationToken);
        if (expired > 0)
        {
            logger.LogInformation("{Count} backups expired and their archives deleted", expired);
        }
    }

    private async Task<T> SendAsync<T>(Guid? tenantId, IRequest<T> command, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var caller = scope.ServiceProvider.GetRequiredService<UserContext>();
        if (tenantId is { } tenant)
        {
            caller.ActAsSystem(tenant);
        }
        else
        {
            caller.ActAsPlatform();
        }

        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command, cancellationToken);
    }
}

internal sealed class HangfireBackupEmailScheduler(IBackgroundJobClient jobs) : IBackupEmailScheduler
{
    public void Schedule(Guid tenantId, Guid emailId, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            jobs.Enqueue<BackupJob>(job => job.DeliverEmailAsync(tenantId, emailId, CancellationToken.None));
        }
        else
        {
            jobs.Schedule<BackupJob>(job => job.DeliverEmailAsync(tenantId, emailId, CancellationToken.None), delay);
        }
    }
}
