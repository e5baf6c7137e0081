namespace Moonflow.Application.Processes;

/// <summary>Hands a committed process to the job engine (any node may run it) and records the job id.</summary>
public interface IProcessDispatcher
{
    Task DispatchAsync(Guid tenantId, Guid processId, CancellationToken cancellationToken);
}
