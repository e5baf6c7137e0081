using MediatR;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Common.Trays;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Interactions.ListInteractionColumns;

/// <summary>Every column of the interactions tray, with labels and whether it shows by default.</summary>
[RequiresPermission(Permissions.InteractionsRead)]
public sealed record ListInteractionColumnsQuery : IRequest<IReadOnlyList<TrayColumn>>;

public sealed class ListInteractionColumnsQueryHandler : IRequestHandler<ListInteractionColumnsQuery, IReadOnlyList<TrayColumn>>
{
    public Task<IReadOnlyList<TrayColumn>> Handle(ListInteractionColumnsQuery request, CancellationToken cancellationToken) =>
        Task.FromResult(InteractionsTray.Definition.Columns);
}
