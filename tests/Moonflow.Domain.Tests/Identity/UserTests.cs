using Moonflow.Domain.Identity;
using Moonflow.Domain.Tests.Support;

namespace Moonflow.Domain.Tests.Identity;

public sealed class UserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid TenantId = Guid.Parse("0197a1f0-0000-7000-8000-000000000001");

    private static User Create(Role role = Role.Seller, string email = "seller@demo.test") =>
        User.Create(TenantId, email, "Sara Seller", role, "hash", Now);

    [Fact]
    public void Create_WhenEmailHasCapitalsAndSpaces_StoresItTrimmedAndLowerCase()
    {
        var user = Create(email: "  Ana.Gomez@Demo.TEST ");

        Assert.Equal("ana.gomez@demo.test", user.Email);
        Assert.True(user.IsActive);
        Assert.Equal(TenantId, user.TenantId);
        Assert.Empty(user.GrantedPermissions);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-email")]
    public void Create_WhenEmailMissingOrMalformed_IsRejected(string email) => RuleAssert.Invalid("email", () => Create(email: email));

    [Fact]
    public void Permissions_WhenNothingGranted_AreTheRolePermissions()
    {
        var user = Create(Role.Seller);

        Assert.Equal(RolePermissions.For(Role.Seller).Order(), user.Permissions.Order());
    }

    [Fact]
    public void Permissions_WhenOneGranted_AreTheRolePermissionsPlusTheGrantedOne()
    {
        var user = Create(Role.Seller);

        user.Grant(Permissions.BackupsRequest);

        var expected = RolePermissions.For(Role.Seller).Append(Permissions.BackupsRequest).Order();
        Assert.Equal(expected, user.Permissions.Order());
        Assert.True(user.Has(Permissions.BackupsRequest));
        Assert.True(user.Has(Permissions.BulkActionsRun));
        Assert.False(user.Has(Permissions.ProcessesReadAll));
    }

    [Fact]
    public void Grant_WhenPermissionComesWithARole_IsRefusedAsNotGrantable()
    {
        var user = Create(Role.Viewer);

        RuleAssert.Broken("permission_not_grantable", () => user.Grant(Permissions.ClientsWrite));
        Assert.Empty(user.GrantedPermissions);
        Assert.False(user.Has(Permissions.ClientsWrite));
    }

    [Fact]
    public void Grant_WhenGrantedTwice_ListsItOnce()
    {
        var user = Create();

        user.Grant(Permissions.BackupsRequest);
        user.Grant(Permissions.BackupsRequest);

        Assert.Equal([Permissions.BackupsRequest], user.GrantedPermissions);
    }

    [Theory]
    [InlineData("backups.delete")]
    [InlineData("BULK.RUN")]
    [InlineData("")]
    public void Grant_WhenPermissionUnknown_IsRejectedAndNothingIsGranted(string permission)
    {
        var user = Create();

        RuleAssert.Invalid("permission", () => user.Grant(permission));
        Assert.Empty(user.GrantedPermissions);
    }

    [Fact]
    public void Revoke_WhenGranted_TakesItAway()
    {
        var user = Create();
        user.Grant(Permissions.BackupsRequest);

        user.Revoke(Permissions.BackupsRequest);

        Assert.False(user.Has(Permissions.BackupsRequest));
    }

    [Fact]
    public void Revoke_WhenPermissionComesFromTheRole_IsRefusedAndKeepsIt()
    {
        var user = Create(Role.Seller);

        RuleAssert.Broken("permission_not_grantable", () => user.Revoke(Permissions.BulkActionsRun));
        Assert.True(user.Has(Permissions.BulkActionsRun));
    }

    [Fact]
    public void ChangePasswordHash_WhenBlank_IsRejectedAndKeepsTheOldHash()
    {
        var user = Create();

        RuleAssert.Invalid("passwordHash", () => user.ChangePasswordHash(" "));
        Assert.Equal("hash", user.PasswordHash);
    }

    [Fact]
    public void ChangeRole_WhenLastActiveAdminIsDemoted_IsRefusedAndStaysAdmin()
    {
        var admin = Create(Role.Admin, "admin@demo.test");

        RuleAssert.Broken("last_admin", () => admin.ChangeRole(Role.Seller, new AdminSeats(0)));
        Assert.Equal(Role.Admin, admin.Role);
    }

    [Fact]
    public void ChangeRole_WhenAnotherActiveAdminRemains_Demotes()
    {
        var admin = Create(Role.Admin, "admin@demo.test");

        admin.ChangeRole(Role.Viewer, new AdminSeats(1));

        Assert.Equal(Role.Viewer, admin.Role);
        Assert.False(admin.Has(Permissions.UsersManage));
    }

    [Fact]
    public void ChangeRole_WhenLastAdminStaysAdmin_IsAllowed()
    {
        var admin = Create(Role.Admin, "admin@demo.test");

        admin.ChangeRole(Role.Admin, new AdminSeats(0));

        Assert.Equal(Role.Admin, admin.Role);
    }

    [Fact]
    public void ChangeRole_WhenUserIsNoAdmin_IgnoresTheSeats()
    {
        var seller = Create(Role.Seller);

        seller.ChangeRole(Role.Admin, new AdminSeats(0));

        Assert.True(seller.Has(Permissions.UsersManage));
    }

    [Fact]
    public void Deactivate_WhenLastActiveAdmin_IsRefusedAndStaysActive()
    {
        var admin = Create(Role.Admin, "admin@demo.test");

        RuleAssert.Broken("last_admin", () => admin.Deactivate(new AdminSeats(0)));
        Assert.True(admin.IsActive);
        Assert.Equal(0, admin.SessionVersion);
    }

    [Fact]
    public void Deactivate_WhenActive_EndsItsSessionsAndReactivationDoesNotBringThemBack()
    {
        var seller = Create(Role.Seller);

        seller.Deactivate(new AdminSeats(0));
        Assert.False(seller.IsActive);
        Assert.Equal(1, seller.SessionVersion);

        seller.Activate();
        Assert.True(seller.IsActive);
        Assert.Equal(1, seller.SessionVersion);
    }

    [Fact]
    public void Deactivate_WhenAlreadyInactive_ChangesNothing()
    {
        var seller = Create(Role.Seller);
        seller.Deactivate(new AdminSeats(0));

        seller.Deactivate(new AdminSeats(0));

        Assert.Equal(1, seller.SessionVersion);
    }

    [Fact]
    public void Deactivate_WhenAnotherAdminIsActive_DeactivatesTheAdmin()
    {
        var admin = Create(Role.Admin, "admin@demo.test");

        admin.Deactivate(new AdminSeats(1));

        Assert.False(admin.IsActive);
    }

    [Fact]
    public void ReplacePassword_WhenUserSetsTheirOwn_EndsEarlierSessions()
    {
        var user = Create();

        user.ReplacePassword("new-hash");

        Assert.Equal("new-hash", user.PasswordHash);
        Assert.Equal(1, user.SessionVersion);
    }

    [Theory]
    [InlineData("short1")]
    [InlineData("onlyletterslong")]
    [InlineData("1234567890123")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz")]
    public void CheckPassword_WhenPolicyIsNotMet_IsRefusedAsWeak(string password) =>
        RuleAssert.Broken("weak_password", () => User.CheckPassword(password, "seller@demo.test"));

    [Fact]
    public void CheckPassword_WhenItIsTheEmail_IsRefusedAsWeak() =>
        RuleAssert.Broken("weak_password", () => User.CheckPassword("Seller1@Demo.test", "seller1@demo.test"));

    [Fact]
    public void CheckPassword_WhenLongWithLettersAndDigits_Passes() => User.CheckPassword("Moonflow!2026", "seller@demo.test");
}
