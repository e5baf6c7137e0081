namespace Moonflow.Application.Processes;

public sealed class ProcessOptions
{
    public const string Section = "Processes";

    /// <summary>Records per committed chunk: the unit of progress, cancellation and resumption.</summary>
    public int ChunkSize { get; set; } = 1000;

    /// <summary>Rows per chunk of an upload: rows are cheap to check, so bigger chunks spend less on each transaction.</summary>
    public int ImportChunkSize { get; set; } = 10_000;

    /// <summary>Records per chunk of the CRM's set-based processes (recycle, reassign, associate, …): one statement each.</summary>
    public int SetBasedChunkSize { get; set; } = 20_000;

    /// <summary>How long result and error files stay downloadable; the log entry stays after that.</summary>
    public TimeSpan FileLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long log entries are kept (audit trail).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>A queued process with no job after this long is dispatched again (the app died in between).</summary>
    public TimeSpan DispatchGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a long step's progress is written (and a cancellation looked for): at least once a second.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a job waits for a process's runner lease held by someone else before leaving the process to them. Long
    /// enough for the database to let go of a runner whose node vanished without closing its connection.
    /// </summary>
    public TimeSpan RunnerLeaseWait { get; set; } = TimeSpan.FromSeconds(90);
}
