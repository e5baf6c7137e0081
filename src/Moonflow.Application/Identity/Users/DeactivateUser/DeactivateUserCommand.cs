using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity.Users.DeactivateUser;

/// <summary>
/// The user's tokens and sign-ins are refused from the next request on; the tenant's API keys keep working. The last
/// active admin cannot be deactivated (409 <c>last_admin</c>).
/// </summary>
[RequiresPermission(Permissions.UsersManage)]
public sealed record DeactivateUserCommand(Guid UserId) : IRequest<UserDto>, ITransactionalCommand;

public sealed class DeactivateUserCommandHandler(IUserRepository users) : IRequestHandler<DeactivateUserCommand, UserDto>
{
    public async Task<UserDto> Handle(DeactivateUserCommand request, CancellationToken cancellationToken)
    {
        var seats = await users.LockAdminSeatsAsync(request.UserId, cancellationToken);
        var user = await users.GetAsync(request.UserId, cancellationToken) ?? throw new NotFoundException("User", request.UserId);
        user.Deactivate(seats);
        return UserDto.Of(user);
    }
}
