using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Crm.Contacts.RecycleContacts;

/// <summary>
/// Recycle (call history deleted) or reprocess (kept) the contacts of a base that match the filters (seed 004), as one
/// tracked process: the matching contacts are frozen when accepted; do-not-call ones become skipped items.
/// </summary>
[RequiresPermission(Permissions.CrmProcesses)]
public sealed record RecycleContactsCommand(RecycleMode Mode, RecycleCriteria Criteria) : IRequest<ProcessAccepted>, ITransactionalCommand;

public sealed class RecycleContactsCommandValidator : AbstractValidator<RecycleContactsCommand>
{
    public RecycleContactsCommandValidator() => RuleFor(c => c.Criteria).SetValidator(new RecycleCriteriaValidator());
}

/// <summary>The criteria's shape, for the run and its preview alike.</summary>
public sealed class RecycleCriteriaValidator : AbstractValidator<RecycleCriteria>
{
    public RecycleCriteriaValidator()
    {
        RuleFor(c => c.BaseId).NotEmpty().OverridePropertyName("baseId");
        RuleFor(c => c.AttemptsLessThan).GreaterThanOrEqualTo(0).OverridePropertyName("attemptsLessThan");
        RuleFor(c => c.AttemptsGreaterThan).GreaterThanOrEqualTo(0).OverridePropertyName("attemptsGreaterThan");
        RuleFor(c => c.UserIds).Must(u => u is null || u.Count <= 500).OverridePropertyName("userIds").WithMessage("At most 500 users.");
        RuleFor(c => c.SubcategoryIds).Must(s => s is null || s.Count <= 500).OverridePropertyName("subcategoryIds").WithMessage("At most 500 subcategories.");
    }
}

public sealed class RecycleContactsCommandHandler(BulkProcessStarter starter, RecycleSelection selection, ICrmBulkActions crm)
    : IRequestHandler<RecycleContactsCommand, ProcessAccepted>
{
    public async Task<ProcessAccepted> Handle(RecycleContactsCommand request, CancellationToken cancellationToken)
    {
        var matching = await selection.MatchingAsync(request.Criteria, cancellationToken);
        var (type, label) = request.Mode == RecycleMode.Recycle
            ? (ProcessType.CrmContactsRecycle, "Recycle contacts (call history deleted)")
            : (ProcessType.CrmContactsReprocess, "Reprocess contacts (call history kept)");
        return await starter.StartAsync(type, label, request.Criteria, (processId, ct) => crm.FreezeContactsAsync(processId, matching, ct), cancellationToken);
    }
}

public sealed class CrmContactsRecycleExecutor(ICrmBulkActions crm) : IBulkActionExecutor
{
    public ProcessType Type => ProcessType.CrmContactsRecycle;

    public int ChunkSize(ProcessOptions options) => options.SetBasedChunkSize;

    public Task<ChunkOutcome> ExecuteChunkAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken) =>
        crm.MakeDialableAsync(process, RecycleMode.Recycle, chunkSize, cancellationToken);
}

public sealed class CrmContactsReprocessExecutor(ICrmBulkActions crm) : IBulkActionExecutor
{
    public ProcessType Type => ProcessType.CrmContactsReprocess;

    public int ChunkSize(ProcessOptions options) => options.SetBasedChunkSize;

    public Task<ChunkOutcome> ExecuteChunkAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken) =>
        crm.MakeDialableAsync(process, RecycleMode.Reprocess, chunkSize, cancellationToken);
}
