using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity.Users.ActivateUser;

/// <summary>The user may sign in again; tokens issued before the deactivation stay refused.</summary>
[RequiresPermission(Permissions.UsersManage)]
public sealed record ActivateUserCommand(Guid UserId) : IRequest<UserDto>, ITransactionalCommand;

public sealed class ActivateUserCommandHandler(IUserRepository users) : IRequestHandler<ActivateUserCommand, UserDto>
{
    public async Task<UserDto> Handle(ActivateUserCommand request, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(request.UserId, cancellationToken) ?? throw new NotFoundException("User", request.UserId);
        user.Activate();
        return UserDto.Of(user);
    }
}
