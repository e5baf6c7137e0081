using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity.Users.ChangeUserRole;

/// <summary>Takes effect on the user's next request (permissions are read per request); the last active admin keeps the role (409 <c>last_admin</c>).</summary>
[RequiresPermission(Permissions.UsersManage)]
public sealed record ChangeUserRoleCommand(Guid UserId, Role Role) : IRequest<UserDto>, ITransactionalCommand;

public sealed class ChangeUserRoleCommandValidator : AbstractValidator<ChangeUserRoleCommand>
{
    public ChangeUserRoleCommandValidator() => RuleFor(c => c.Role).IsInEnum();
}

public sealed class ChangeUserRoleCommandHandler(IUserRepository users) : IRequestHandler<ChangeUserRoleCommand, UserDto>
{
    public async Task<UserDto> Handle(ChangeUserRoleCommand request, CancellationToken cancellationToken)
    {
        var seats = await users.LockAdminSeatsAsync(request.UserId, cancellationToken);
        var user = await users.GetAsync(request.UserId, cancellationToken) ?? throw new NotFoundException("User", request.UserId);
        user.ChangeRole(request.Role, seats);
        return UserDto.Of(user);
    }
}
