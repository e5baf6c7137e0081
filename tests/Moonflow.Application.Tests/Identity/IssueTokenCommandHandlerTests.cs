using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Identity;
using Moonflow.Application.Identity.IssueToken;
using Moonflow.Domain.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moonflow.Application.Common.Security;
using NSubstitute;

namespace Moonflow.Application.Tests.Identity;

public sealed class IssueTokenCommandHandlerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private readonly IUserRepository _users = Substitute.For<IUserRepository>();
    private readonly IPasswordHasher _hasher = Substitute.For<IPasswordHasher>();
    private readonly ITokenIssuer _tokens = Substitute.For<ITokenIssuer>();
    private readonly ISignInThrottle _throttle = Substitute.For<ISignInThrottle>();
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly Tenant _tenant = Tenant.Create("demo", "Demo", "America/Bogota", Now);
    private readonly User _user;

    public IssueTokenCommandHandlerTests()
    {
        _user = User.Create(_tenant.Id, "seller@demo.test", "Sara Seller", Role.Seller, "stored-hash", Now);
        _users.FindForSignInAsync("demo", "seller@demo.test", Arg.Any<CancellationToken>())
            .Returns(((User, Tenant)?)(_user, _tenant));
        _hasher.Verify(_user, "correct horse").Returns(true);
        _tokens.Issue(_user, _tenant).Returns(new IssuedToken("signed.jwt.token", 3600));
    }

    private Task<TokenResponse> Send(string tenant, string email, string password) =>
        new IssueTokenCommandHandler(_users, _hasher, _tokens, _throttle, new NoClientAddress(), Options.Create(new SignInThrottleOptions()), _clock).Handle(new IssueTokenCommand(tenant, email, password), CancellationToken.None);

    [Fact]
    public async Task Handle_WhenPasswordIsRight_ReturnsABearerToken()
    {
        var token = await Send("demo", "seller@demo.test", "correct horse");

        Assert.Equal("signed.jwt.token", token.AccessToken);
        Assert.Equal("Bearer", token.TokenType);
        Assert.Equal(3600, token.ExpiresIn);
    }

    [Fact]
    public async Task Handle_WhenTenantAndEmailHaveCapitalsAndSpaces_StillSignsIn()
    {
        var token = await Send("  Demo ", " Seller@Demo.TEST ", "correct horse");

        Assert.Equal("Bearer", token.TokenType);
    }

    [Fact]
    public async Task Handle_WhenPasswordIsWrong_ThrowsUnauthenticatedAndIssuesNothing()
    {
        await Assert.ThrowsAsync<UnauthenticatedException>(() => Send("demo", "seller@demo.test", "wrong"));

        _tokens.DidNotReceiveWithAnyArgs().Issue(default!, default!);
    }

    [Fact]
    public async Task Handle_WhenUserOrTenantIsUnknown_AnswersExactlyLikeAWrongPassword()
    {
        var wrongPassword = await Assert.ThrowsAsync<UnauthenticatedException>(() => Send("demo", "seller@demo.test", "wrong"));
        var unknownUser = await Assert.ThrowsAsync<UnauthenticatedException>(() => Send("demo", "nobody@demo.test", "correct horse"));
        var unknownTenant = await Assert.ThrowsAsync<UnauthenticatedException>(() => Send("acme", "seller@demo.test", "correct horse"));

        Assert.Equal(wrongPassword.Message, unknownUser.Message);
        Assert.Equal(wrongPassword.Message, unknownTenant.Message);
        _hasher.DidNotReceive().Verify(Arg.Any<User>(), "correct horse");
        _tokens.DidNotReceiveWithAnyArgs().Issue(default!, default!);
    }

    [Fact]
    public void ToString_WhenLogged_LeavesThePasswordOut() =>
        Assert.DoesNotContain("correct horse", new IssueTokenCommand("demo", "seller@demo.test", "correct horse").ToString(), StringComparison.Ordinal);

    [Fact]
    public async Task Handle_WhenTheThrottleRefusesTheAttempt_Throws429EvenForTheRightPasswordWithoutCheckingIt()
    {
        _throttle.BeginAttemptAsync(Arg.Any<SignInKeys>(), Arg.Any<SignInThrottlePolicy>(), Now, Arg.Any<CancellationToken>()).Returns(Now.AddSeconds(90));

        var refused = await Assert.ThrowsAsync<RateLimitedException>(() => Send("demo", "seller@demo.test", "correct horse"));

        Assert.Equal(TimeSpan.FromSeconds(90), refused.RetryAfter);
        _hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
        _tokens.DidNotReceiveWithAnyArgs().Issue(default!, default!);
        await _throttle.DidNotReceiveWithAnyArgs().SucceededAsync(default!, default!, default);
    }

    [Fact]
    public async Task Handle_WhenPasswordIsWrong_TheAttemptCountedBeforeTheCheckStaysAsTheFailure()
    {
        _hasher.Verify(_user, "wrong").Returns(_ =>
        {
            // Counted before the password is looked at.
            _throttle.Received(1).BeginAttemptAsync(new SignInKeys("account:demo/seller@demo.test", null), Arg.Any<SignInThrottlePolicy>(), Now, Arg.Any<CancellationToken>());
            return false;
        });

        await Assert.ThrowsAsync<UnauthenticatedException>(() => Send("Demo", "Seller@Demo.test", "wrong"));

        _hasher.Received(1).Verify(_user, "wrong");
        await _throttle.DidNotReceiveWithAnyArgs().SucceededAsync(default!, default!, default);
    }

    [Fact]
    public async Task Handle_WhenPasswordIsRight_ClearsTheAccountsCount()
    {
        await Send("demo", "seller@demo.test", "correct horse");

        await _throttle.Received(1).SucceededAsync(new SignInKeys("account:demo/seller@demo.test", null), Arg.Any<SignInThrottlePolicy>(), Arg.Any<CancellationToken>());
    }
}
