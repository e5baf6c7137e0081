using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity.Users.GetUser;

[RequiresPermission(Permissions.UsersManage)]
public sealed record GetUserQuery(Guid UserId) : IRequest<UserDto>;

public sealed class GetUserQueryHandler(IReadStore store) : IRequestHandler<GetUserQuery, UserDto>
{
    public async Task<UserDto> Handle(GetUserQuery request, CancellationToken cancellationToken) =>
        (await store.FirstOrDefaultAsync(store.Query<User>().Where(u => u.Id == request.UserId).Select(UserRow.Projection), cancellationToken))?.ToDto()
        ?? throw new NotFoundException("User", request.UserId);
}
