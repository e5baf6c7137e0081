namespace Moonflow.Architecture.Tests.Support;

/// <summary>
/// Commands only background jobs send. They declare no permission: a job runs what a user was already allowed
/// to start, or housekeeping nobody asks for. Named as strings so this list fails a test, not the build, when one moves.
/// </summary>
internal static class JobCommands
{
    public static readonly string[] FullNames =
    [
        "Moonflow.Application.Processes.RunProcess.RunProcessCommand",
        "Moonflow.Application.Processes.FailProcess.FailProcessCommand",
        "Moonflow.Application.Processes.DispatchStrandedProcesses.DispatchStrandedProcessesCommand",
        "Moonflow.Application.Processes.PurgeProcessLog.PurgeProcessLogCommand",
        "Moonflow.Application.Processes.DispatchScheduledProcesses.DispatchScheduledProcessesCommand",
        "Moonflow.Application.Backups.DeliverBackupEmail.DeliverBackupEmailCommand",
        "Moonflow.Application.Backups.DispatchDueBackupEmails.DispatchDueBackupEmailsCommand",
        "Moonflow.Application.Backups.ExpireBackups.ExpireBackupsCommand",
        "Moonflow.Application.Webhooks.DeliverWebhook.DeliverWebhookCommand",
        "Moonflow.Application.Webhooks.SweepWebhookOutbox.SweepWebhookOutboxCommand",
    ];
}
