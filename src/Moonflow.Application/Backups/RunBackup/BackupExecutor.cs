using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Backups;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Identity;
using Moonflow.Application.Processes;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Application.Webhooks;
using Moonflow.Domain.Backups;
using Moonflow.Domain.Processes;
using Moonflow.Domain.Webhooks;

namespace Moonflow.Application.Backups.RunBackup;

/// <summary>
/// Generates a backup as the process's long step: the archive streams from every <see cref="IBackupContributor"/> into the
/// file store (memory flat in its size), its entries and bytes reported as it goes. A cancel stops it within a progress
/// interval, its partial file is deleted and the backup ends cancelled (not counted against the quota); a crash writes it
/// again from the start, and a partial file is never attached. In the process's final transaction the backup becomes ready,
/// its email goes into the outbox and <c>backup.ready</c> to partners' webhooks.
/// </summary>
public sealed class BackupExecutor(
    IBackupRequestRepository backups, IBackupArchiveWriter archives, IUserRepository tenants, BackupLinks links, IWebhookPublisher webhooks,
    IUnitOfWork unitOfWork, IOptions<BackupOptions> options, IOptions<ProcessOptions> processOptions, TimeProvider clock) : ILongStepExecutor
{
    public ProcessType Type => ProcessType.Backup;

    public async Task<StepResult> RunStepAsync(BulkProcess process, IStepProgress progress, CancellationToken cancellationToken)
    {
        var backup = await unitOfWork.InTransactionAsync(
            async () =>
            {
                var backup = await BackupOf(process, cancellationToken);
                backup.StartGenerating(clock.GetUtcNow());
                return backup;
            },
            cancellationToken);
        var tenant = await tenants.GetTenantAsync(process.TenantId, cancellationToken) ?? throw new NotFoundException("Tenant", process.TenantId);
        var scope = new BackupScope(tenant.Id, tenant.Slug, tenant.TimeZone, clock.GetUtcNow());
        var reporter = new Reporter(backup.Id, backups, progress, processOptions.Value.ProgressInterval);
        var written = await archives.WriteAsync(scope, reporter, cancellationToken);
        var fileName = $"backup-{tenant.Slug}-{scope.GeneratedAt:yyyyMMdd-HHmm}.zip";
        return new StepResult(written.Entries, 0, [new StepFile(ProcessFileKind.Result, fileName, "application/zip", written.File, options.Value.FileRetention)]);
    }

    public async Task CompleteStepAsync(BulkProcess process, StepResult result, IReadOnlyList<ProcessFile> attached, CancellationToken cancellationToken)
    {
        var backup = await BackupOf(process, cancellationToken);
        var archive = attached.Single(f => f.Kind == ProcessFileKind.Result);
        var now = clock.GetUtcNow();
        backup.MarkReady(archive.StorageKey, archive.SizeBytes, result.Succeeded, now, options.Value.FileRetention);
        await links.IssueAndEmailAsync(backup, cancellationToken);

        // The backup as the API shows it, never its link: the link is the requester's alone, and it reaches them by email.
        await webhooks.PublishAsync(WebhookEvents.BackupReady, BackupDto.From(backup, now, options.Value.OverdueAfter, withDownloads: false), cancellationToken);
    }

    /// <summary>Its process ended without an archive: the backup ends the same way and the quota is not used.</summary>
    public async Task CleanUpAsync(BulkProcess process, CancellationToken cancellationToken)
    {
        if (process.Status is ProcessStatus.Cancelled or ProcessStatus.Failed)
        {
            var backup = await BackupOf(process, cancellationToken);
            backup.End(process.Status == ProcessStatus.Cancelled ? BackupStatus.Cancelled : BackupStatus.Failed, process.FailureReason, clock.GetUtcNow());
        }
    }

    private async Task<BackupRequest> BackupOf(BulkProcess process, CancellationToken cancellationToken) =>
        await backups.GetAsync(BulkProcessStarter.ReadParameters<BackupProcessParameters>(process).BackupId, cancellationToken)
        ?? throw new NotFoundException("Backup", process.Id);

    /// <summary>Entries (toward the contributors' estimate) go to the process's progress at once; entries and bytes to the backup's row once per progress interval.</summary>
    private sealed class Reporter(Guid backupId, IBackupRequestRepository backups, IStepProgress progress, TimeSpan interval) : IBackupArchiveProgress
    {
        private long _lastWrite = Environment.TickCount64;
        private long _total;

        public void Estimate(long entries)
        {
            _total = entries;
            progress.Report(0, 0, entries);
        }

        public async ValueTask ReportAsync(long entries, long bytes, CancellationToken cancellationToken)
        {
            // Rows added while it runs may pass the estimate: the total never falls behind what was written.
            _total = Math.Max(_total, entries);
            progress.Report(entries, 0, _total);
            var now = Environment.TickCount64;
            if (now - _lastWrite >= interval.TotalMilliseconds)
            {
                _lastWrite = now;
                await backups.ReportProgressAsync(backupId, entries, bytes, cancellationToken);
            }
        }
    }
}
