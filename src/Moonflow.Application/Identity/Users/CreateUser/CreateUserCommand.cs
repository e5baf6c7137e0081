using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity.Users.CreateUser;

/// <summary>An admin adds a user to the tenant with an initial password that meets the policy; the user may change it later.</summary>
[RequiresPermission(Permissions.UsersManage)]
public sealed record CreateUserCommand(string Email, string Name, Role Role, string Password) : IRequest<UserDto>, ITransactionalCommand
{
    /// <summary>Keeps the password out of logs.</summary>
    public override string ToString() => $"CreateUserCommand {{ Email = {Email}, Name = {Name}, Role = {Role} }}";
}

public sealed class CreateUserCommandValidator : AbstractValidator<CreateUserCommand>
{
    public CreateUserCommandValidator()
    {
        RuleFor(c => c.Email).NotEmpty().MaximumLength(254).EmailAddress();
        RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
        RuleFor(c => c.Role).IsInEnum();
        RuleFor(c => c.Password).NotEmpty();
    }
}

public sealed class CreateUserCommandHandler(IUserRepository users, IPasswordHasher hasher, ICurrentUser caller, TimeProvider clock)
    : IRequestHandler<CreateUserCommand, UserDto>
{
    public async Task<UserDto> Handle(CreateUserCommand request, CancellationToken cancellationToken)
    {
        var email = request.Email.Trim().ToLowerInvariant();
        User.CheckPassword(request.Password, email);
        if (await users.EmailExistsAsync(email, cancellationToken))
        {
            throw new ConflictException("user_exists", $"The tenant already has a user with the e-mail {email}.");
        }

        var user = User.Create(caller.TenantId, email, request.Name, request.Role, "pending", clock.GetUtcNow());
        user.ChangePasswordHash(hasher.Hash(user, request.Password));
        users.Add(user);
        return UserDto.Of(user);
    }
}
