using Moonflow.Domain.Exports;

namespace Moonflow.Application.Exports;

public interface IExportRequestRepository
{
    void Add(ExportRequest export);

    Task<ExportRequest?> GetAsync(Guid id, CancellationToken cancellationToken);

    Task<ExportRequest?> GetByProcessAsync(Guid processId, CancellationToken cancellationToken);

    /// <summary>Serialises every request for one tray of the tenant until the transaction ends (the rules then see the truth).</summary>
    Task LockTrayAsync(string tray, CancellationToken cancellationToken);

    Task<ExportRequest?> FindPendingAsync(string tray, CancellationToken cancellationToken);

    /// <summary>The tray's deferred export of a tenant day that was not cancelled, if any.</summary>
    Task<ExportRequest?> FindDeferredOnAsync(string tray, DateOnly localDay, CancellationToken cancellationToken);

    Task<IReadOnlyList<ExportRequest>> FindPendingDeferredAsync(CancellationToken cancellationToken);
}
