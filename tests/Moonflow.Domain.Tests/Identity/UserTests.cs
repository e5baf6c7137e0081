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
    public void Grant_WhenRoleAlreadyHasIt_CountsItOnce()
    {
        var user = Create(Role.Viewer);

        user.Grant(Permissions.ClientsRead);

        Assert.Equal(RolePermissions.For(Role.Viewer).Count, user.Permissions.Count);
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
    public void Revoke_WhenPermissionComesFromTheRole_KeepsIt()
    {
        var user = Create(Role.Seller);

        user.Revoke(Permissions.BulkActionsRun);

        Assert.True(user.Has(Permissions.BulkActionsRun));
    }

    [Fact]
    public void ChangePasswordHash_WhenBlank_IsRejectedAndKeepsTheOldHash()
    {
        var user = Create();

        RuleAssert.Invalid("passwordHash", () => user.ChangePasswordHash(" "));
        Assert.Equal("hash", user.PasswordHash);
    }
}
