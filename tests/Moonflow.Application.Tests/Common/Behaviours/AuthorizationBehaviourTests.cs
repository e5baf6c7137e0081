using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Tests.Common.Behaviours;

[AllowAnonymousRequest]
internal sealed record AnonymousRequest : IRequest<string>;

internal sealed record SignedInRequest : IRequest<string>;

[RequiresPermission(Permissions.BulkActionsRun)]
internal sealed record BulkRunRequest : IRequest<string>;

[RequiresPermission(Permissions.ProcessesRead)]
[RequiresPermission(Permissions.ProcessesCancelAny)]
internal sealed record TwoPermissionsRequest : IRequest<string>;

public sealed class AuthorizationBehaviourTests
{
    private static readonly Guid TenantId = Guid.NewGuid();

    private readonly UserContext _user = new();
    private int _nextCalls;

    private Task<string> Send<TRequest>(TRequest request)
        where TRequest : IRequest<string> =>
        new AuthorizationBehaviour<TRequest, string>(_user).Handle(request, CancellationToken.None, () =>
        {
            _nextCalls++;
            return Task.FromResult("handled");
        });

    [Fact]
    public async Task Handle_WhenRequestAllowsAnonymous_RunsWithoutSignIn()
    {
        var response = await Send(new AnonymousRequest());

        Assert.Equal("handled", response);
        Assert.Equal(1, _nextCalls);
    }

    [Fact]
    public async Task Handle_WhenNotSignedIn_ThrowsUnauthenticatedAndDoesNotRun()
    {
        await Assert.ThrowsAsync<UnauthenticatedException>(() => Send(new BulkRunRequest()));

        Assert.Equal(0, _nextCalls);
    }

    [Fact]
    public async Task Handle_WhenNoPermissionDeclaredAndNotSignedIn_ThrowsUnauthenticated()
    {
        await Assert.ThrowsAsync<UnauthenticatedException>(() => Send(new SignedInRequest()));

        Assert.Equal(0, _nextCalls);
    }

    [Fact]
    public async Task Handle_WhenNoPermissionDeclared_RunsForAnySignedInCaller()
    {
        _user.SignInUser(TenantId, Guid.NewGuid(), "viewer@demo.test", []);

        await Send(new SignedInRequest());

        Assert.Equal(1, _nextCalls);
    }

    [Fact]
    public async Task Handle_WhenPermissionMissing_ThrowsForbiddenNamingItAndDoesNotRun()
    {
        _user.SignInUser(TenantId, Guid.NewGuid(), "viewer@demo.test", RolePermissions.For(Role.Viewer));

        var exception = await Assert.ThrowsAsync<ForbiddenException>(() => Send(new BulkRunRequest()));

        Assert.Contains(Permissions.BulkActionsRun, exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, _nextCalls);
    }

    [Fact]
    public async Task Handle_WhenOneOfTwoPermissionsMissing_NamesOnlyTheMissingOne()
    {
        _user.SignInUser(TenantId, Guid.NewGuid(), "seller@demo.test", RolePermissions.For(Role.Seller));

        var exception = await Assert.ThrowsAsync<ForbiddenException>(() => Send(new TwoPermissionsRequest()));

        Assert.Contains(Permissions.ProcessesCancelAny, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Permissions.ProcessesRead, exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, _nextCalls);
    }

    [Fact]
    public async Task Handle_WhenUserHoldsThePermission_Runs()
    {
        _user.SignInUser(TenantId, Guid.NewGuid(), "seller@demo.test", RolePermissions.For(Role.Seller));

        var response = await Send(new BulkRunRequest());

        Assert.Equal("handled", response);
        Assert.Equal(1, _nextCalls);
    }

    [Fact]
    public async Task Handle_WhenApiKeyHoldsEveryPermission_Runs()
    {
        _user.SignInApiKey(TenantId, Guid.NewGuid(), "Partner CRM", [Permissions.ProcessesRead, Permissions.ProcessesCancelAny]);

        await Send(new TwoPermissionsRequest());

        Assert.Equal(1, _nextCalls);
    }

    [Fact]
    public async Task Handle_WhenBackgroundJobActsForTheTenant_Runs()
    {
        _user.ActAsSystem(TenantId);

        await Send(new TwoPermissionsRequest());

        Assert.Equal(1, _nextCalls);
    }
}
