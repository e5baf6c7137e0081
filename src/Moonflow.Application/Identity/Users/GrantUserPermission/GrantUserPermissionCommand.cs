using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity.Users.GrantUserPermission;

/// <summary>Grants a per-user permission (today only <c>backups.request</c>); the user's next request has it. Granting twice changes nothing.</summary>
[RequiresPermission(Permissions.UsersManage)]
public sealed record GrantUserPermissionCommand(Guid UserId, string Permission) : IRequest<UserDto>, ITransactionalCommand;

public sealed class GrantUserPermissionCommandHandler(IUserRepository users) : IRequestHandler<GrantUserPermissionCommand, UserDto>
{
    public async Task<UserDto> Handle(GrantUserPermissionCommand request, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(request.UserId, cancellationToken) ?? throw new NotFoundException("User", request.UserId);
        user.Grant(request.Permission);
        return UserDto.Of(user);
    }
}
