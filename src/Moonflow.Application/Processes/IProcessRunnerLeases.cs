namespace Moonflow.Application.Processes;

/// <summary>
/// The database decides who runs a process: at most one runner holds a process's lease at any moment, across every API
/// and worker node, whatever the job engine does (it may hand one job out twice, or a stranded process may be dispatched
/// again). The lease ends with its holder: a node that dies loses it with its database session.
/// </summary>
public interface IProcessRunnerLeases
{
    /// <summary>
    /// Takes the lease on a process, waiting up to <paramref name="wait"/> while another runner holds it (a holder whose node
    /// just died is let go by the database meanwhile). Null: another runner still holds it, alive, and carries on.
    /// </summary>
    Task<IProcessRunnerLease?> AcquireAsync(Guid processId, TimeSpan wait, CancellationToken cancellationToken);
}

public interface IProcessRunnerLease : IAsyncDisposable
{
    /// <summary>Cancelled when the lease can no longer be vouched for (its database session broke): the runner must stop at once.</summary>
    CancellationToken Lost { get; }
}
