using MediatR;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Files;

namespace Moonflow.Application.Processes.PurgeProcessLog;

/// <summary>
/// Nightly housekeeping across tenants: removes the bytes of expired process files (their entries then say
/// "expired"), deletes log entries older than the retention, with their items and files, and deletes files left half-written by
/// a node that died (a day untouched: a long step's file in the writing is touched all the time).
/// </summary>
public sealed record PurgeProcessLogCommand : IRequest<PurgeResult>;

public sealed record PurgeResult(int FilesPurged, int ProcessesDeleted, int AbandonedWritesDeleted = 0);

public sealed class PurgeProcessLogCommandHandler(
    IBulkProcessRepository processes, IFileStorage files, IOptions<ProcessOptions> options, TimeProvider clock)
    : IRequestHandler<PurgeProcessLogCommand, PurgeResult>
{
    private const int Batch = 500;

    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromDays(1);

    public async Task<PurgeResult> Handle(PurgeProcessLogCommand request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var filesPurged = 0;
        IReadOnlyList<ExpiredFile> expired;
        do
        {
            expired = await processes.FindExpiredFilesAsync(now, Batch, cancellationToken);
            foreach (var file in expired)
            {
                await files.DeleteAsync(file.StorageKey, cancellationToken);
            }

            await processes.MarkFilesPurgedAsync(expired.Select(f => f.FileId).ToList(), now, cancellationToken);
            filesPurged += expired.Count;
        }
        while (expired.Count == Batch);

        var processesDeleted = 0;
        int deleted;
        do
        {
            (deleted, var keys) = await processes.DeleteFinishedBeforeAsync(now - options.Value.Retention, Batch, cancellationToken);
            foreach (var key in keys)
            {
                await files.DeleteAsync(key, cancellationToken);
            }

            processesDeleted += deleted;
        }
        while (deleted == Batch);

        var abandoned = await files.DeleteAbandonedWritesAsync(now - AbandonedAfter, cancellationToken);
        return new PurgeResult(filesPurged, processesDeleted, abandoned);
    }
}
