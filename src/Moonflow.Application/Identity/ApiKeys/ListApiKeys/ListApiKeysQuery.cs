using AutoMapper;
using MediatR;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity.ApiKeys.ListApiKeys;

[RequiresPermission(Permissions.ApiKeysManage)]
public sealed record ListApiKeysQuery : IRequest<IReadOnlyList<ApiKeyDto>>;

public sealed class ListApiKeysQueryHandler(IReadStore store, IMapper mapper) : IRequestHandler<ListApiKeysQuery, IReadOnlyList<ApiKeyDto>>
{
    public async Task<IReadOnlyList<ApiKeyDto>> Handle(ListApiKeysQuery request, CancellationToken cancellationToken)
    {
        var keys = await store.ToListAsync(store.Query<ApiKey>().OrderByDescending(k => k.CreatedAt), cancellationToken);
        return mapper.Map<List<ApiKeyDto>>(keys);
    }
}
