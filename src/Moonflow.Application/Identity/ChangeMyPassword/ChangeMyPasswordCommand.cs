using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Identity.IssueToken;
using Moonflow.Domain.Common;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity.ChangeMyPassword;

/// <summary>
/// A user sets their own password, proving the current one. Tokens of earlier sessions stop working; the answer carries a
/// fresh token, so the caller stays signed in.
/// </summary>
[AnySignedInCaller]
public sealed record ChangeMyPasswordCommand(string CurrentPassword, string NewPassword) : IRequest<TokenResponse>, ITransactionalCommand
{
    /// <summary>Keeps the passwords out of logs.</summary>
    public override string ToString() => "ChangeMyPasswordCommand { }";
}

public sealed class ChangeMyPasswordCommandValidator : AbstractValidator<ChangeMyPasswordCommand>
{
    public ChangeMyPasswordCommandValidator()
    {
        RuleFor(c => c.CurrentPassword).NotEmpty().MaximumLength(200);
        RuleFor(c => c.NewPassword).NotEmpty();
    }
}

public sealed class ChangeMyPasswordCommandHandler(IUserRepository users, IPasswordHasher hasher, ITokenIssuer tokens, ICurrentUser caller)
    : IRequestHandler<ChangeMyPasswordCommand, TokenResponse>
{
    public async Task<TokenResponse> Handle(ChangeMyPasswordCommand request, CancellationToken cancellationToken)
    {
        var userId = caller.RequireUserId();
        var user = await users.GetAsync(userId, cancellationToken) ?? throw new NotFoundException("User", userId);
        if (!hasher.Verify(user, request.CurrentPassword))
        {
            throw new BusinessRuleValidationException(new CurrentPasswordMustBeRightRule());
        }

        User.CheckPassword(request.NewPassword, user.Email);
        user.ReplacePassword(hasher.Hash(user, request.NewPassword));
        var tenant = await users.GetTenantAsync(user.TenantId, cancellationToken) ?? throw new NotFoundException("Tenant", user.TenantId);
        var token = tokens.Issue(user, tenant);
        return new TokenResponse(token.AccessToken, "Bearer", token.ExpiresInSeconds);
    }
}

/// <summary>Only someone who knows the current password may set a new one (400 <c>wrong_password</c>).</summary>
public sealed class CurrentPasswordMustBeRightRule : IRequestRule
{
    public string Code => "wrong_password";

    public ErrorText Message => "The current password is not correct.";

    /// <summary>Checked by the handler against the stored hash before it throws.</summary>
    public bool IsBroken() => true;
}
