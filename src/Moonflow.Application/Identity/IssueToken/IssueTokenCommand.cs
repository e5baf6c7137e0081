using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;

namespace Moonflow.Application.Identity.IssueToken;

/// <summary>Signs a user in with tenant, e-mail and password, and returns a bearer token.</summary>
[AllowAnonymousRequest]
public sealed record IssueTokenCommand(string Tenant, string Email, string Password) : IRequest<TokenResponse>
{
    /// <summary>Keeps the password out of logs.</summary>
    public override string ToString() => $"IssueTokenCommand {{ Tenant = {Tenant}, Email = {Email} }}";
}

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

public sealed class IssueTokenCommandValidator : AbstractValidator<IssueTokenCommand>
{
    public IssueTokenCommandValidator()
    {
        RuleFor(c => c.Tenant).NotEmpty().MaximumLength(64);
        RuleFor(c => c.Email).NotEmpty().MaximumLength(254);
        RuleFor(c => c.Password).NotEmpty().MaximumLength(200);
    }
}

public sealed class IssueTokenCommandHandler(IUserRepository users, IPasswordHasher hasher, ITokenIssuer tokens)
    : IRequestHandler<IssueTokenCommand, TokenResponse>
{
    public async Task<TokenResponse> Handle(IssueTokenCommand request, CancellationToken cancellationToken)
    {
        var found = await users.FindForSignInAsync(request.Tenant.Trim().ToLowerInvariant(), request.Email.Trim().ToLowerInvariant(), cancellationToken);

        // One answer for unknown tenant, unknown user and wrong password: nothing to learn from failing.
        if (found is not { } match || !match.User.IsActive || !hasher.Verify(match.User, request.Password))
        {
            throw new UnauthenticatedException("The tenant, e-mail or password is not correct.");
        }

        var token = tokens.Issue(match.User, match.Tenant);
        return new TokenResponse(token.AccessToken, "Bearer", token.ExpiresInSeconds);
    }
}
