using FluentValidation;
using Moonflow.Application.Common.Persistence;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Clients;

/// <summary>The clients a bulk action targets: either listed ids (a list selection) or every client matching a filter.</summary>
public interface IClientSelection
{
    IReadOnlyList<Guid>? ClientIds { get; }

    ClientFilter? Filter { get; }
}

public static class ClientSelectionRules
{
    public const int MaxListedIds = 10_000;

    public static void AddSelectionRules<T>(this AbstractValidator<T> validator)
        where T : IClientSelection
    {
        validator.RuleFor(c => c).Must(c => (c.ClientIds is null) != (c.Filter is null))
            .OverridePropertyName("clientIds").WithMessage("Give either 'clientIds' or 'filter', not both and not neither.");
        validator.RuleFor(c => c.ClientIds).Must(ids => ids is null || ids.Count is > 0 and <= MaxListedIds)
            .WithMessage($"'clientIds' must list between 1 and {MaxListedIds} ids; use 'filter' for more.");
    }

    public static IQueryable<Guid>? MatchingIds(this IClientSelection selection, IReadStore store) =>
        selection.Filter is { } filter ? ClientsTray.Definition.Apply(store.Query<Client>(), filter).Select(c => c.Id) : null;

    public static IReadOnlyList<Guid>? ListedIds(this IClientSelection selection) => selection.ClientIds?.Distinct().ToList();
}

/// <summary>Set-based client changes, one chunk of a process's frozen targets at a time.</summary>
public interface IClientBulkActions
{
    Task<Processes.Execution.ChunkOutcome> ApplyTagsAsync(
        Domain.Processes.BulkProcess process, IReadOnlyList<string> add, IReadOnlyList<string> remove, int chunkSize, CancellationToken cancellationToken);

    Task<Processes.Execution.ChunkOutcome> DeleteAsync(Domain.Processes.BulkProcess process, int chunkSize, CancellationToken cancellationToken);
}
