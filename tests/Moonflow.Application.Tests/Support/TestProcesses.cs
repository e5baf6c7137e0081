using Moonflow.Domain.Processes;

namespace Moonflow.Application.Tests.Support;

/// <summary>Real processes, moved into the state a test needs through the aggregate's own transitions.</summary>
internal static class TestProcesses
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);
    public static readonly Guid TenantId = Guid.Parse("0197a1f0-0000-7000-8000-0000000000aa");

    public static BulkProcess Queued(Guid requestedBy, long total = 10)
    {
        var process = BulkProcess.Queue(
            TenantId, ProcessType.ClientsBulkTag, "Tag clients (+vip -)", """{"add":["vip"],"remove":[]}""", requestedBy, "seller@demo.test",
            Now.AddMinutes(-5));
        process.FreezeTargets(total);
        return process;
    }

    public static BulkProcess Running(Guid requestedBy, long total = 10)
    {
        var process = Queued(requestedBy, total);
        process.Start(Now.AddMinutes(-4));
        return process;
    }
}
