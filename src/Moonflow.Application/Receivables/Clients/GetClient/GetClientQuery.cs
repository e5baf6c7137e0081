using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Clients.GetClient;

[RequiresPermission(Permissions.ClientsRead)]
public sealed record GetClientQuery(Guid ClientId) : IRequest<ClientDto>;

public sealed class GetClientQueryHandler(IReadStore store) : IRequestHandler<GetClientQuery, ClientDto>
{
    public async Task<ClientDto> Handle(GetClientQuery request, CancellationToken cancellationToken) =>
        await store.FirstOrDefaultAsync(
            store.Query<Client>().Where(c => c.Id == request.ClientId).Select(ClientDto.Projection), cancellationToken)
        ?? throw new NotFoundException("Client", request.ClientId);
}
