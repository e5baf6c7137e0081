using Moonflow.Domain.Identity;
using Moonflow.Domain.Tests.Support;

namespace Moonflow.Domain.Tests.Identity;

public sealed class ApiKeyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid TenantId = Guid.Parse("0197a1f0-0000-7000-8000-000000000001");

    private static User UserWith(Role role) => User.Create(TenantId, $"{role}@demo.test", role.ToString(), role, "hash", Now);

    private static ApiKey Issue(User creator, params string[] permissions) =>
        ApiKey.Issue(TenantId, " Partner CRM ", "a1b2c3d4e5f6", "secret-hash", permissions, creator, Now);

    [Fact]
    public void Issue_WhenCreatorHoldsEveryPermission_CarriesEachOnceAndRecordsTheCreator()
    {
        var admin = UserWith(Role.Admin);

        var key = Issue(admin, Permissions.ClientsRead, Permissions.BulkActionsRun, Permissions.ClientsRead);

        Assert.Equal([Permissions.ClientsRead, Permissions.BulkActionsRun], key.Permissions);
        Assert.Equal("Partner CRM", key.Name);
        Assert.Equal("a1b2c3d4e5f6", key.Prefix);
        Assert.Equal(admin.Id, key.CreatedBy);
        Assert.Equal(TenantId, key.TenantId);
        Assert.Equal(Now, key.CreatedAt);
        Assert.False(key.IsRevoked);
    }

    [Fact]
    public void Issue_WhenCreatorLacksAPermission_IsRefusedNamingIt()
    {
        var seller = UserWith(Role.Seller);

        var exception = Assert.Throws<Common.BusinessRuleValidationException>(
            () => Issue(seller, Permissions.ClientsRead, Permissions.ApiKeysManage, Permissions.ProcessesReadAll));

        Assert.Equal("permission_not_held", exception.BrokenRule.Code);
        Assert.Contains($"{Permissions.ApiKeysManage}, {Permissions.ProcessesReadAll}", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Permissions.ClientsRead, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_WhenPermissionWasGrantedOutsideTheRole_IsAllowed()
    {
        var admin = UserWith(Role.Admin);
        admin.Grant(Permissions.BackupsRequest);

        var key = Issue(admin, Permissions.BackupsRequest);

        Assert.Equal([Permissions.BackupsRequest], key.Permissions);
    }

    [Fact]
    public void Issue_WhenAdminAsksForAPermissionNoRoleGives_IsRefused() =>
        RuleAssert.Broken("permission_not_held", () => Issue(UserWith(Role.Admin), Permissions.BackupsRequest));

    [Fact]
    public void Issue_WhenNameBlank_IsRejected() =>
        RuleAssert.Invalid("name", () => ApiKey.Issue(TenantId, " ", "a1b2", "hash", [Permissions.ClientsRead], UserWith(Role.Admin), Now));

    [Fact]
    public void Revoke_WhenActive_RevokesNow()
    {
        var key = Issue(UserWith(Role.Admin), Permissions.ClientsRead);

        key.Revoke(Now.AddDays(1));

        Assert.True(key.IsRevoked);
        Assert.Equal(Now.AddDays(1), key.RevokedAt);
    }

    [Fact]
    public void Revoke_WhenAlreadyRevoked_KeepsTheFirstRevocationTime()
    {
        var key = Issue(UserWith(Role.Admin), Permissions.ClientsRead);
        key.Revoke(Now.AddDays(1));

        key.Revoke(Now.AddDays(2));

        Assert.True(key.IsRevoked);
        Assert.Equal(Now.AddDays(1), key.RevokedAt);
    }
}
