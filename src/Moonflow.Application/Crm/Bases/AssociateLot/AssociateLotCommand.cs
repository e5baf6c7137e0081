using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Crm.Bases.AssociateLot;

/// <summary>Adds a lot's contacts to a base (seed 004) as one tracked process; contacts already in it are skipped items.</summary>
[RequiresPermission(Permissions.CrmProcesses)]
public sealed record AssociateLotCommand(Guid BaseId, Guid LotId) : IRequest<ProcessAccepted>, ITransactionalCommand;

public sealed record BaseProcessParameters(Guid BaseId, Guid? LotId, IReadOnlyList<Guid>? SubcategoryIds);

public sealed class AssociateLotCommandValidator : AbstractValidator<AssociateLotCommand>
{
    public AssociateLotCommandValidator() => RuleFor(c => c.LotId).NotEmpty();
}

public sealed class AssociateLotCommandHandler(BulkProcessStarter starter, IReadStore store, CrmReferences references, ICrmBulkActions crm)
    : IRequestHandler<AssociateLotCommand, ProcessAccepted>
{
    public async Task<ProcessAccepted> Handle(AssociateLotCommand request, CancellationToken cancellationToken)
    {
        await references.BaseAsync(request.BaseId, cancellationToken);
        await references.LotAsync(request.LotId, cancellationToken);
        var lotId = request.LotId;
        return await starter.StartAsync(
            ProcessType.CrmBaseAssociate, "Associate a lot's contacts to a base", new BaseProcessParameters(request.BaseId, lotId, null),
            (processId, ct) => crm.FreezeContactsAsync(processId, store.Query<Contact>().Where(c => c.LotId == lotId), ct), cancellationToken);
    }
}

public sealed class CrmBaseAssociateExecutor(ICrmBulkActions crm) : IBulkActionExecutor
{
    public ProcessType Type => ProcessType.CrmBaseAssociate;

    public int ChunkSize(ProcessOptions options) => options.SetBasedChunkSize;

    public Task<ChunkOutcome> ExecuteChunkAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken) =>
        crm.AssociateAsync(process, BulkProcessStarter.ReadParameters<BaseProcessParameters>(process).BaseId, chunkSize, cancellationToken);
}
