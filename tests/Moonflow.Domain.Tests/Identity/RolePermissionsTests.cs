using Moonflow.Domain.Identity;

namespace Moonflow.Domain.Tests.Identity;

public sealed class RolePermissionsTests
{
    public static TheoryData<Role> AllRoles() => new(Enum.GetValues<Role>());

    [Fact]
    public void For_WhenViewer_CannotRunBulkActionsOrSeeProcesses()
    {
        var viewer = RolePermissions.For(Role.Viewer);

        Assert.DoesNotContain(Permissions.BulkActionsRun, viewer);
        Assert.DoesNotContain(Permissions.ProcessesRead, viewer);
        Assert.Contains(Permissions.ClientsRead, viewer);
    }

    [Fact]
    public void For_WhenAgent_CannotRunBulkActions() => Assert.DoesNotContain(Permissions.BulkActionsRun, RolePermissions.For(Role.Agent));

    [Fact]
    public void For_WhenSeller_RunsBulkActionsButSeesOnlyOwnProcesses()
    {
        var seller = RolePermissions.For(Role.Seller);

        Assert.Contains(Permissions.BulkActionsRun, seller);
        Assert.Contains(Permissions.ProcessesRead, seller);
        Assert.DoesNotContain(Permissions.ProcessesReadAll, seller);
        Assert.DoesNotContain(Permissions.ProcessesCancelAny, seller);
    }

    [Fact]
    public void For_WhenAdmin_SeesAndCancelsEveryProcessAndManagesKeys()
    {
        var admin = RolePermissions.For(Role.Admin);

        Assert.Contains(Permissions.ProcessesReadAll, admin);
        Assert.Contains(Permissions.ProcessesCancelAny, admin);
        Assert.Contains(Permissions.ApiKeysManage, admin);
    }

    [Theory]
    [InlineData(Role.Admin, true)]
    [InlineData(Role.Seller, false)]
    [InlineData(Role.Agent, false)]
    [InlineData(Role.Viewer, false)]
    public void For_WhenRole_LetsOnlyAdminsChangeTheTenantSettings(Role role, bool allowed) =>
        Assert.Equal(allowed, RolePermissions.For(role).Contains(Permissions.TenantSettings));

    [Theory]
    [MemberData(nameof(AllRoles))]
    public void For_WhenAnyRole_NeverGrantsBackupRequests(Role role) =>
        Assert.DoesNotContain(Permissions.BackupsRequest, RolePermissions.For(role));

    [Theory]
    [MemberData(nameof(AllRoles))]
    public void For_WhenAnyRole_GrantsOnlyKnownPermissionsOnce(Role role)
    {
        var permissions = RolePermissions.For(role);

        Assert.All(permissions, p => Assert.Contains(p, Permissions.All));
        Assert.Equal(permissions.Count, permissions.Distinct(StringComparer.Ordinal).Count());
    }
}
