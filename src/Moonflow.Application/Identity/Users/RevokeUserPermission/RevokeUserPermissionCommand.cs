using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity.Users.RevokeUserPermission;

/// <summary>Takes a per-user permission away; the user's next request no longer has it, whatever token it carries.</summary>
[RequiresPermission(Permissions.UsersManage)]
public sealed record RevokeUserPermissionCommand(Guid UserId, string Permission) : IRequest<UserDto>, ITransactionalCommand;

public sealed class RevokeUserPermissionCommandHandler(IUserRepository users) : IRequestHandler<RevokeUserPermissionCommand, UserDto>
{
    public async Task<UserDto> Handle(RevokeUserPermissionCommand request, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(request.UserId, cancellationToken) ?? throw new NotFoundException("User", request.UserId);
        user.Revoke(request.Permission);
        return UserDto.Of(user);
    }
}
