using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Receivables.Clients.BulkDeleteClients;

/// <summary>Deletes many clients as one tracked process; the process items keep who was deleted.</summary>
[RequiresPermission(Permissions.BulkActionsRun)]
public sealed record BulkDeleteClientsCommand(IReadOnlyList<Guid>? ClientIds, ClientFilter? Filter)
    : IRequest<ProcessAccepted>, ITransactionalCommand, IClientSelection;

public sealed class BulkDeleteClientsCommandValidator : AbstractValidator<BulkDeleteClientsCommand>
{
    public BulkDeleteClientsCommandValidator() => this.AddSelectionRules();
}

public sealed class BulkDeleteClientsCommandHandler(BulkProcessStarter starter, IReadStore store)
    : IRequestHandler<BulkDeleteClientsCommand, ProcessAccepted>
{
    public Task<ProcessAccepted> Handle(BulkDeleteClientsCommand request, CancellationToken cancellationToken) =>
        starter.StartAsync(
            ProcessType.ClientsBulkDelete, "Delete clients", request, request.MatchingIds(store), request.ListedIds(), cancellationToken);
}

public sealed class ClientsBulkDeleteExecutor(IClientBulkActions clients) : IBulkActionExecutor
{
    public ProcessType Type => ProcessType.ClientsBulkDelete;

    public Task<ChunkOutcome> ExecuteChunkAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken) =>
        clients.DeleteAsync(process, chunkSize, cancellationToken);
}
