namespace Moonflow.Infrastructure.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Whether this node runs a Hangfire server. API nodes may set it false and leave the work to <c>--worker</c> nodes.</summary>
    public bool RunServer { get; set; } = true;

    public int WorkerCount { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>How often an idle server looks for new jobs.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a job fetched by a node that stopped answering stays invisible before another node takes it. Live workers
    /// keep extending it (a sliding timeout), so a long job is never handed out twice; a dead node's job is taken over within
    /// this time plus <see cref="PollInterval"/>.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);
}
