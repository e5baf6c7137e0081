using MediatR;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Entities.ListEntities;

/// <summary>The tenant's entities with their fields (a short, tenant-defined list: no paging).</summary>
[RequiresPermission(Permissions.CrmRead)]
public sealed record ListEntitiesQuery : IRequest<IReadOnlyList<EntityDto>>;

public sealed class ListEntitiesQueryHandler(IReadStore store) : IRequestHandler<ListEntitiesQuery, IReadOnlyList<EntityDto>>
{
    public async Task<IReadOnlyList<EntityDto>> Handle(ListEntitiesQuery request, CancellationToken cancellationToken) =>
        await store.ToListAsync(store.Query<CrmEntity>().OrderBy(e => e.Name).Select(EntityDto.Projection), cancellationToken);
}
