using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Domain.Common;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Clients.BulkTagClients;

/// <summary>Adds and removes tags on many clients as one tracked process.</summary>
[RequiresPermission(Permissions.BulkActionsRun)]
public sealed record BulkTagClientsCommand(
    IReadOnlyList<Guid>? ClientIds, ClientFilter? Filter, IReadOnlyList<string>? Add, IReadOnlyList<string>? Remove)
    : IRequest<ProcessAccepted>, ITransactionalCommand, IClientSelection;

public sealed record BulkTagParameters(IReadOnlyList<Guid>? ClientIds, ClientFilter? Filter, IReadOnlyList<string> Add, IReadOnlyList<string> Remove);

public sealed class BulkTagClientsCommandValidator : AbstractValidator<BulkTagClientsCommand>
{
    public BulkTagClientsCommandValidator()
    {
        this.AddSelectionRules();
        RuleFor(c => c).Must(c => (c.Add?.Count ?? 0) + (c.Remove?.Count ?? 0) > 0)
            .OverridePropertyName("add").WithMessage("Give at least one tag in 'add' or 'remove'.");
        RuleForEach(c => c.Add).NotEmpty().MaximumLength(Client.MaxTagLength);
        RuleForEach(c => c.Remove).NotEmpty().MaximumLength(Client.MaxTagLength);
    }
}

public sealed class BulkTagClientsCommandHandler(BulkProcessStarter starter, IReadStore store)
    : IRequestHandler<BulkTagClientsCommand, ProcessAccepted>
{
    public Task<ProcessAccepted> Handle(BulkTagClientsCommand request, CancellationToken cancellationToken)
    {
        var parameters = new BulkTagParameters(
            request.ClientIds, request.Filter, Client.NormalizeTags(request.Add ?? []), Client.NormalizeTags(request.Remove ?? []));
        ErrorText label = $"Tag clients (+{string.Join(", ", parameters.Add)} -{string.Join(", ", parameters.Remove)})";
        return starter.StartAsync(
            ProcessType.ClientsBulkTag, label, parameters, request.MatchingIds(store), request.ListedIds(), cancellationToken);
    }
}

public sealed class ClientsBulkTagExecutor(IClientBulkActions clients) : IBulkActionExecutor
{
    public ProcessType Type => ProcessType.ClientsBulkTag;

    public Task<ChunkOutcome> ExecuteChunkAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken)
    {
        var parameters = BulkProcessStarter.ReadParameters<BulkTagParameters>(process);
        return clients.ApplyTagsAsync(process, parameters.Add, parameters.Remove, chunkSize, cancellationToken);
    }
}
