using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Crm.Contacts.BulkDeleteContacts;

/// <summary>Deletes many contacts (with their call history and agendas) as one tracked process; the items keep who was deleted.</summary>
[RequiresPermission(Permissions.CrmProcesses)]
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record BulkDeleteContactsCommand(IReadOnlyList<Guid>? ContactIds, ContactFilter? Filter)
    : IRequest<ProcessAccepted>, ITransactionalCommand, IContactSelection;

public sealed class BulkDeleteContactsCommandValidator : AbstractValidator<BulkDeleteContactsCommand>
{
    public BulkDeleteContactsCommandValidator() => this.AddSelectionRules();
}

public sealed class BulkDeleteContactsCommandHandler(BulkProcessStarter starter, IReadStore store, CrmReferences references)
    : IRequestHandler<BulkDeleteContactsCommand, ProcessAccepted>
{
    public async Task<ProcessAccepted> Handle(BulkDeleteContactsCommand request, CancellationToken cancellationToken)
    {
        await request.CheckFilterAsync(references, cancellationToken);
        return await starter.StartAsync(
            ProcessType.CrmContactsBulkDelete, "Delete contacts", request, request.MatchingIds(store), request.ListedIds(), cancellationToken);
    }
}

public sealed class CrmContactsBulkDeleteExecutor(ICrmBulkActions crm) : IBulkActionExecutor
{
    public ProcessType Type => ProcessType.CrmContactsBulkDelete;

    public int ChunkSize(ProcessOptions options) => options.SetBasedChunkSize;

    public Task<ChunkOutcome> ExecuteChunkAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken) =>
        crm.DeleteAsync(process, chunkSize, cancellationToken);
}
