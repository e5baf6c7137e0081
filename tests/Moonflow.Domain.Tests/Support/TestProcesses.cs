using Moonflow.Domain.Processes;

namespace Moonflow.Domain.Tests.Support;

/// <summary>Processes in the states the tests start from, moved there only through the aggregate's own transitions.</summary>
internal static class TestProcesses
{
    public static readonly DateTimeOffset QueuedAt = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    public static readonly Guid TenantId = Guid.Parse("0197a1f0-0000-7000-8000-000000000001");
    public static readonly Guid RequesterId = Guid.Parse("0197a1f0-0000-7000-8000-000000000002");

    public static BulkProcess Queued(string label = "Tag clients (+vip -)") =>
        BulkProcess.Queue(TenantId, ProcessType.ClientsBulkTag, label, """{"add":["vip"]}""", RequesterId, "seller@demo.test", QueuedAt);

    public static BulkProcess Frozen(long total)
    {
        var process = Queued();
        process.FreezeTargets(total);
        return process;
    }

    public static BulkProcess Running(long total)
    {
        var process = Frozen(total);
        process.Start(QueuedAt.AddSeconds(1));
        return process;
    }

    public static BulkProcess Completed(long succeeded, long failed)
    {
        var process = Running(succeeded + failed);
        process.RecordProgress(succeeded, failed, succeeded + failed);
        process.Complete(QueuedAt.AddMinutes(1));
        return process;
    }

    public static BulkProcess Failed(string reason = "The job ran out of retries.")
    {
        var process = Running(10);
        process.Fail(reason, QueuedAt.AddMinutes(1));
        return process;
    }

    public static BulkProcess Cancelled()
    {
        var process = Frozen(10);
        process.RequestCancellation(QueuedAt.AddSeconds(5));
        return process;
    }

    public static TheoryData<string> FinishedStates() => ["completed", "completed_with_errors", "failed", "cancelled"];

    public static BulkProcess Finished(string state) => state switch
    {
        "completed" => Completed(10, 0),
        "completed_with_errors" => Completed(8, 2),
        "failed" => Failed(),
        "cancelled" => Cancelled(),
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };
}
