using MediatR;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Screens.ListScreens;

/// <summary>The tenant's screens with their sub-screens and scripts, in order.</summary>
[RequiresPermission(Permissions.CrmRead)]
public sealed record ListScreensQuery : IRequest<IReadOnlyList<ScreenDto>>;

public sealed class ListScreensQueryHandler(IReadStore store) : IRequestHandler<ListScreensQuery, IReadOnlyList<ScreenDto>>
{
    public async Task<IReadOnlyList<ScreenDto>> Handle(ListScreensQuery request, CancellationToken cancellationToken) =>
        await store.ToListAsync(
            store.Query<Screen>().OrderBy(s => s.Name)
                .Select(s => new ScreenDto(s.Id, s.Name, s.SubScreens.OrderBy(x => x.Position)
                    .Select(x => new SubScreenDto(x.Id, x.Position, x.Name, x.Scripts.OrderBy(y => y.Position).Select(y => new ScriptDto(y.Id, y.Position, y.Name, y.Text)).ToList()))
                    .ToList())),
            cancellationToken);
}
