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

namespace Moonflow.Application.Crm.Agendas.ReassignAgendas;

/// <summary>
/// Hands the pending agendas of some users to others (seed 004) as one tracked process, dealt round-robin in due-date
/// order (<see cref="AgendaReassignment"/>): the agendas are frozen in that order when accepted.
/// </summary>
[RequiresPermission(Permissions.CrmProcesses)]
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record ReassignAgendasCommand(IReadOnlyList<Guid> FromUserIds, IReadOnlyList<Guid> ToUserIds) : IRequest<ProcessAccepted>, ITransactionalCommand;

/// <summary>What the process keeps: the users, and the targets' names as they were, for the items.</summary>
public sealed record ReassignAgendasParameters(IReadOnlyList<Guid> FromUserIds, IReadOnlyList<Guid> ToUserIds, IReadOnlyList<string> ToUserNames);

public sealed class ReassignAgendasCommandValidator : AbstractValidator<ReassignAgendasCommand>
{
    public ReassignAgendasCommandValidator()
    {
        RuleFor(c => c.FromUserIds).NotNull().Must(u => u is null || u.Count <= 200).WithMessage("At most 200 users.");
        RuleFor(c => c.ToUserIds).NotNull().Must(u => u is null || u.Count <= 200).WithMessage("At most 200 users.");
    }
}

public sealed class ReassignAgendasCommandHandler(BulkProcessStarter starter, ICrmBulkActions crm, CrmReferences references, IReadStore store, ICurrentUser user)
    : IRequestHandler<ReassignAgendasCommand, ProcessAccepted>
{
    public async Task<ProcessAccepted> Handle(ReassignAgendasCommand request, CancellationToken cancellationToken)
    {
        var reassignment = new AgendaReassignment(request.FromUserIds, request.ToUserIds).Checked();
        await references.UsersAsync(reassignment.FromUserIds.Select(u => (Guid?)u), "fromUserIds", mustBeActive: false, cancellationToken);
        await references.UsersAsync(reassignment.ToUserIds.Select(u => (Guid?)u), "toUserIds", mustBeActive: true, cancellationToken);
        var to = reassignment.ToUserIds;
        var names = await store.ToListAsync(store.Query<User>().Where(u => to.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }), cancellationToken);
        var parameters = new ReassignAgendasParameters(
            reassignment.FromUserIds, to, to.Select(id => names.Single(n => n.Id == id).DisplayName).ToList());
        var tenantId = user.TenantId;
        return await starter.StartAsync(
            ProcessType.CrmAgendasReassign, $"Reassign agendas to {string.Join(", ", parameters.ToUserNames)}", parameters,
            (processId, ct) => crm.FreezePendingAgendasAsync(processId, tenantId, reassignment.FromUserIds, ct), cancellationToken);
    }
}

public sealed class CrmAgendasReassignExecutor(ICrmBulkActions crm) : IBulkActionExecutor
{
    public ProcessType Type => ProcessType.CrmAgendasReassign;

    public int ChunkSize(ProcessOptions options) => options.SetBasedChunkSize;

    public Task<ChunkOutcome> ExecuteChunkAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken)
    {
        var parameters = BulkProcessStarter.ReadParameters<ReassignAgendasParameters>(process);
        return crm.ReassignAgendasAsync(process, parameters.FromUserIds, parameters.ToUserIds, parameters.ToUserNames, chunkSize, cancellationToken);
    }
}
