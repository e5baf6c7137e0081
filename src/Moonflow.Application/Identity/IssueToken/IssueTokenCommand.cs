using FluentValidation;
using MediatR;
using Microsoft.Extensions.Options;
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

public sealed class IssueTokenCommandHandler(
    IUserRepository users, IPasswordHasher hasher, ITokenIssuer tokens, ISignInThrottle throttle, IClientAddress address,
    IOptions<SignInThrottleOptions> options, TimeProvider clock)
    : IRequestHandler<IssueTokenCommand, TokenResponse>
{
    public async Task<TokenResponse> Handle(IssueTokenCommand request, CancellationToken cancellationToken)
    {
        var tenant = request.Tenant.Trim().ToLowerInvariant();
        var email = request.Email.Trim().ToLowerInvariant();
        var keys = SignInKeys.For(tenant, email, address.Value);

        // Counted before the password is checked: while locked even the right password is refused (otherwise the lock would
        // only slow the guessing down), and concurrent attempts cannot all slip under the threshold.
        var policy = options.Value.Policy();
        if (await throttle.BeginAttemptAsync(keys, policy, clock.GetUtcNow(), cancellationToken) is { } lockedUntil)
        {
            throw Throttled(lockedUntil);
        }

        var found = await users.FindForSignInAsync(tenant, email, cancellationToken);

        // One answer for unknown tenant, unknown user and wrong password: nothing to learn from failing. The attempt
        // already counts as the failure.
        if (found is not { } match || !match.User.IsActive || !hasher.Verify(match.User, request.Password))
        {
            throw new UnauthenticatedException("The tenant, e-mail or password is not correct.");
        }

        await throttle.SucceededAsync(keys, policy, cancellationToken);
        var token = tokens.Issue(match.User, match.Tenant);
        return new TokenResponse(token.AccessToken, "Bearer", token.ExpiresInSeconds);
    }

    private RateLimitedException Throttled(DateTimeOffset lockedUntil) => new(
        lockedUntil - clock.GetUtcNow(),
        "Too many failed sign-ins for this account or from this address. Wait until the time in Retry-After, then try again; each further failure makes the wait longer.");
}
