using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Crm.Bases.AssociateLot;
using Moonflow.Application.Processes;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Crm.Bases.DissociateContacts;

/// <summary>Removes a base's contacts of a lot and/or resolved with some subcategories (seed 004) as one tracked process.</summary>
[RequiresPermission(Permissions.CrmProcesses)]
public sealed record DissociateContactsCommand(Guid BaseId, Guid? LotId, IReadOnlyList<Guid>? SubcategoryIds) : IRequest<ProcessAccepted>, ITransactionalCommand;

public sealed class DissociateContactsCommandHandler(BulkProcessStarter starter, IReadStore store, CrmReferences references, ICrmBulkActions crm)
    : IRequestHandler<DissociateContactsCommand, ProcessAccepted>
{
    public async Task<ProcessAccepted> Handle(DissociateContactsCommand request, CancellationToken cancellationToken)
    {
        var criteria = new DissociateCriteria(request.BaseId, request.LotId, request.SubcategoryIds).Checked();
        await references.BaseAsync(request.BaseId, cancellationToken);
        await references.LotAsync(request.LotId, cancellationToken);
        await references.SubcategoriesAsync(request.SubcategoryIds?.Select(s => (Guid?)s), cancellationToken);
        var matching = criteria.Conditions().Aggregate(store.Query<Contact>(), (query, condition) => query.Where(condition));
        return await starter.StartAsync(
            ProcessType.CrmBaseDissociate, "Dissociate contacts from a base", new BaseProcessParameters(request.BaseId, request.LotId, request.SubcategoryIds),
            (processId, ct) => crm.FreezeContactsAsync(processId, matching, ct), cancellationToken);
    }
}

public sealed class CrmBaseDissociateExecutor(ICrmBulkActions crm) : IBulkActionExecutor
{
    public ProcessType Type => ProcessType.CrmBaseDissociate;

    public int ChunkSize(ProcessOptions options) => options.SetBasedChunkSize;

    public Task<ChunkOutcome> ExecuteChunkAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken) =>
        crm.DissociateAsync(process, BulkProcessStarter.ReadParameters<BaseProcessParameters>(process).BaseId, chunkSize, cancellationToken);
}
