using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Identity;

/// <summary>
/// User administration on a database of its own: these tests change who the demo tenant's admins are, which the shared
/// API's other tests must not see.
/// </summary>
public sealed class UserAdministrationTests(MoonflowApiFactory api) : IClassFixture<MoonflowApiFactory>
{
    private const string Password = MoonflowApiFactory.Password;

    [Fact]
    public async Task GrantAndRevoke_WhenAdminChangesBackupsRequest_TheAlreadyIssuedTokenFollowsOnItsNextRequest()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var seller = await CreateUserAsync(admin, "seller");
        var sellerClient = await api.SignInAsync(seller.Email);
        Assert.DoesNotContain("backups.request", await PermissionsAsync(sellerClient));

        var granted = await (await admin.PutAsync($"/api/v1/users/{seller.Id}/permissions/backups.request", null)).ReadJsonAsync();

        Assert.Contains("backups.request", Strings(granted.GetProperty("grantedPermissions")));
        Assert.Contains("backups.request", await PermissionsAsync(sellerClient));

        var revoked = await (await admin.DeleteAsync($"/api/v1/users/{seller.Id}/permissions/backups.request")).ReadJsonAsync();

        Assert.Empty(Strings(revoked.GetProperty("grantedPermissions")));
        Assert.DoesNotContain("backups.request", await PermissionsAsync(sellerClient));
    }

    [Fact]
    public async Task ChangeRole_WhenSellerBecomesViewer_TheAlreadyIssuedTokenLosesTheSellerPermissionsAtOnce()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var seller = await CreateUserAsync(admin, "seller");
        var sellerClient = await api.SignInAsync(seller.Email);
        Assert.Contains("bulk.run", await PermissionsAsync(sellerClient));

        var changed = await (await admin.PutAsJsonAsync($"/api/v1/users/{seller.Id}/role", new { role = "viewer" })).ReadJsonAsync();

        Assert.Equal("viewer", changed.GetProperty("role").GetString());
        Assert.DoesNotContain("bulk.run", await PermissionsAsync(sellerClient));
        var bulk = await sellerClient.PostAsJsonAsync("/api/v1/clients/bulk/delete", new { clientIds = new[] { Guid.NewGuid() } });
        await bulk.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Deactivate_WhenUserHasAToken_RefusesTheTokenAndTheSignInAtOnce_AndReactivationNeedsANewSignIn()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var agent = await CreateUserAsync(admin, "agent");
        var oldSession = await api.SignInAsync(agent.Email);
        Assert.Equal(HttpStatusCode.OK, (await oldSession.GetAsync("/api/v1/me")).StatusCode);

        var deactivated = await (await admin.PostAsync($"/api/v1/users/{agent.Id}/deactivate", null)).ReadJsonAsync();

        Assert.False(deactivated.GetProperty("active").GetBoolean());
        await (await oldSession.GetAsync("/api/v1/clients")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        var signIn = await api.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { tenant = "demo", email = agent.Email, password = Password });
        await signIn.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");

        var activated = await (await admin.PostAsync($"/api/v1/users/{agent.Id}/activate", null)).ReadJsonAsync();

        Assert.True(activated.GetProperty("active").GetBoolean());
        await (await oldSession.GetAsync("/api/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        var newSession = await api.SignInAsync(agent.Email);
        Assert.Equal(HttpStatusCode.OK, (await newSession.GetAsync("/api/v1/clients?limit=1")).StatusCode);
    }

    [Fact]
    public async Task Deactivate_WhenTheAdminWhoCreatedAnApiKeyIsDeactivated_TheTenantsApiKeyKeepsWorking()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var secondAdmin = await CreateUserAsync(admin, "admin");
        var secondClient = await api.SignInAsync(secondAdmin.Email);
        var key = await (await secondClient.PostAsJsonAsync("/api/v1/api-keys", new { name = "ERP", permissions = new[] { "clients.read" } }))
            .ReadJsonAsync(HttpStatusCode.Created);

        await (await admin.PostAsync($"/api/v1/users/{secondAdmin.Id}/deactivate", null)).ReadJsonAsync();

        var partner = api.CreateClient();
        partner.DefaultRequestHeaders.Add("X-Api-Key", key.GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync("/api/v1/clients?limit=1")).StatusCode);
        await (await secondClient.GetAsync("/api/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task LastAdmin_WhenTheOnlyActiveAdminIsDemotedOrDeactivated_Returns409UntilAnotherAdminExists()
    {
        var acme = await api.SignInAsync("admin@acme.test", "acme");
        var me = await (await acme.GetAsync("/api/v1/me")).ReadJsonAsync();
        var acmeAdminId = me.GetProperty("userId").GetGuid();

        await (await acme.PutAsJsonAsync($"/api/v1/users/{acmeAdminId}/role", new { role = "seller" })).AssertProblemAsync(HttpStatusCode.Conflict, "last_admin");
        await (await acme.PostAsync($"/api/v1/users/{acmeAdminId}/deactivate", null)).AssertProblemAsync(HttpStatusCode.Conflict, "last_admin");
        Assert.Contains("users.manage", await PermissionsAsync(acme));

        // A second admin who is inactive does not count as a seat.
        var deputy = await CreateUserAsync(acme, "admin");
        await (await acme.PostAsync($"/api/v1/users/{deputy.Id}/deactivate", null)).ReadJsonAsync();
        await (await acme.PutAsJsonAsync($"/api/v1/users/{acmeAdminId}/role", new { role = "seller" })).AssertProblemAsync(HttpStatusCode.Conflict, "last_admin");

        await (await acme.PostAsync($"/api/v1/users/{deputy.Id}/activate", null)).ReadJsonAsync();
        var demoted = await (await acme.PutAsJsonAsync($"/api/v1/users/{acmeAdminId}/role", new { role = "seller" })).ReadJsonAsync();

        Assert.Equal("seller", demoted.GetProperty("role").GetString());
        await (await acme.GetAsync("/api/v1/users")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var deputyClient = await api.SignInAsync(deputy.Email, "acme");
        await (await deputyClient.PostAsync($"/api/v1/users/{deputy.Id}/deactivate", null)).AssertProblemAsync(HttpStatusCode.Conflict, "last_admin");
        await (await deputyClient.PutAsJsonAsync($"/api/v1/users/{acmeAdminId}/role", new { role = "admin" })).ReadJsonAsync();
    }

    [Fact]
    public async Task LastAdmin_WhenTwoAdminsDemoteEachOtherAtOnce_OneOfThemStaysAdmin()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var first = await CreateUserAsync(admin, "admin");
        var second = await CreateUserAsync(admin, "admin");
        var firstClient = await api.SignInAsync(first.Email);
        var secondClient = await api.SignInAsync(second.Email);

        // The demo admin steps down first, leaving the two new admins as the tenant's only admins.
        var demoAdminId = (await (await admin.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("userId").GetGuid();
        await (await firstClient.PutAsJsonAsync($"/api/v1/users/{demoAdminId}/role", new { role = "viewer" })).ReadJsonAsync();
        try
        {
            var answers = await Task.WhenAll(
                firstClient.PutAsJsonAsync($"/api/v1/users/{second.Id}/role", new { role = "agent" }),
                secondClient.PutAsJsonAsync($"/api/v1/users/{first.Id}/role", new { role = "agent" }));

            // Serialised by the tenant's lock: the second sees no other admin left (409), or is no admin any more (403).
            var statuses = answers.Select(a => a.StatusCode).ToList();
            Assert.Single(statuses, HttpStatusCode.OK);
            Assert.Single(statuses, s => s is HttpStatusCode.Conflict or HttpStatusCode.Forbidden);
            var stayed = statuses[0] == HttpStatusCode.OK ? firstClient : secondClient;
            var admins = await (await stayed.GetAsync("/api/v1/users?role=admin&active=true")).ReadJsonAsync();
            Assert.Equal(1, admins.GetProperty("items").GetArrayLength());
        }
        finally
        {
            // The other tests of this class sign in as the demo admin.
            var restored = await firstClient.PutAsJsonAsync($"/api/v1/users/{demoAdminId}/role", new { role = "admin" });
            if (!restored.IsSuccessStatusCode)
            {
                (await secondClient.PutAsJsonAsync($"/api/v1/users/{demoAdminId}/role", new { role = "admin" })).EnsureSuccessStatusCode();
            }
        }
    }

    [Fact]
    public async Task GetUser_WhenUserBelongsToAnotherTenant_Returns404ForEveryUserEndpoint()
    {
        var demoAdmin = await api.SignInAsync("admin@demo.test");
        var demoUser = await CreateUserAsync(demoAdmin, "viewer");
        var acme = await api.SignInAsync("admin@acme.test", "acme");

        await (await acme.GetAsync($"/api/v1/users/{demoUser.Id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.PutAsJsonAsync($"/api/v1/users/{demoUser.Id}/role", new { role = "admin" })).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.PostAsync($"/api/v1/users/{demoUser.Id}/deactivate", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.PostAsync($"/api/v1/users/{demoUser.Id}/activate", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.PutAsync($"/api/v1/users/{demoUser.Id}/permissions/backups.request", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.DeleteAsync($"/api/v1/users/{demoUser.Id}/permissions/backups.request")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var acmeList = await (await acme.GetAsync("/api/v1/users?limit=200")).ReadJsonAsync();
        Assert.DoesNotContain(demoUser.Id, acmeList.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("id").GetGuid()));
        var unchanged = await (await demoAdmin.GetAsync($"/api/v1/users/{demoUser.Id}")).ReadJsonAsync();
        Assert.Equal("viewer", unchanged.GetProperty("role").GetString());
        Assert.True(unchanged.GetProperty("active").GetBoolean());
    }

    [Theory]
    [InlineData("viewer@demo.test")]
    [InlineData("seller@demo.test")]
    [InlineData("agent@demo.test")]
    public async Task Users_WhenCallerIsNoAdmin_Returns403OnEveryEndpoint(string email)
    {
        var caller = await api.SignInAsync(email);
        var someone = (await (await caller.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("userId").GetGuid();

        await (await caller.GetAsync("/api/v1/users")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await caller.GetAsync($"/api/v1/users/{someone}")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await caller.PostAsJsonAsync("/api/v1/users", new { email = $"x{Guid.NewGuid():N}@demo.test", name = "X", role = "admin", password = "Abcdefgh12345" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await caller.PutAsJsonAsync($"/api/v1/users/{someone}/role", new { role = "admin" })).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await caller.PutAsync($"/api/v1/users/{someone}/permissions/backups.request", null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.DoesNotContain("backups.request", await PermissionsAsync(caller));
        Assert.DoesNotContain("users.manage", await PermissionsAsync(caller));
    }

    [Fact]
    public async Task CreateUser_WhenValid_Returns201AndTheUserCanSignInWithTheInitialPassword()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var email = $"Nueva.{Guid.NewGuid():N}@Demo.test";

        var response = await admin.PostAsJsonAsync("/api/v1/users", new { email, name = "Nueva Asesora", role = "agent", password = "Cobranza2026x" });

        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/users/{created.GetProperty("id").GetGuid()}", response.Headers.Location?.ToString());
        Assert.Equal(email.ToLowerInvariant(), created.GetProperty("email").GetString());
        Assert.Equal("agent", created.GetProperty("role").GetString());
        Assert.DoesNotContain("backups.request", Strings(created.GetProperty("permissions")));
        var token = await api.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { tenant = "demo", email, password = "Cobranza2026x" });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.False(created.TryGetProperty("passwordHash", out _));
    }

    [Fact]
    public async Task CreateUser_WhenEmailIsTaken_Returns409UserExists()
    {
        var admin = await api.SignInAsync("admin@demo.test");

        var response = await admin.PostAsJsonAsync("/api/v1/users", new { email = "SELLER@demo.test", name = "Otra", role = "seller", password = "Cobranza2026x" });

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "user_exists");
    }

    [Theory]
    [InlineData("corta1")]
    [InlineData("sololetrassinnumeros")]
    [InlineData("12345678901234")]
    public async Task CreateUser_WhenPasswordIsWeak_Returns400WeakPassword(string password)
    {
        var admin = await api.SignInAsync("admin@demo.test");

        var response = await admin.PostAsJsonAsync("/api/v1/users", new { email = $"p{Guid.NewGuid():N}@demo.test", name = "P", role = "viewer", password });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "weak_password");
    }

    [Fact]
    public async Task CreateUser_WhenFieldsAreMissingOrRoleUnknown_Returns400()
    {
        var admin = await api.SignInAsync("admin@demo.test");

        var missing = await admin.PostAsJsonAsync("/api/v1/users", new { email = "not-an-email", name = "", role = "viewer", password = "" });
        var errors = (await missing.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.True(errors.TryGetProperty("email", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("name", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("password", out _), errors.ToString());

        var unknownRole = await admin.PostAsJsonAsync("/api/v1/users", new { email = "r@demo.test", name = "R", role = "boss", password = "Cobranza2026x" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownRole.StatusCode);
    }

    [Theory]
    [InlineData("clients.write", "permission_not_grantable")]
    [InlineData("users.manage", "permission_not_grantable")]
    [InlineData("backups.delete", "validation_failed")]
    public async Task GrantPermission_WhenPermissionIsNotGrantable_Returns400WithACode(string permission, string code)
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var viewer = await CreateUserAsync(admin, "viewer");

        await (await admin.PutAsync($"/api/v1/users/{viewer.Id}/permissions/{permission}", null)).AssertProblemAsync(HttpStatusCode.BadRequest, code);
        await (await admin.DeleteAsync($"/api/v1/users/{viewer.Id}/permissions/{permission}")).AssertProblemAsync(HttpStatusCode.BadRequest, code);
        var unchanged = await (await admin.GetAsync($"/api/v1/users/{viewer.Id}")).ReadJsonAsync();
        Assert.Empty(Strings(unchanged.GetProperty("grantedPermissions")));
    }

    [Fact]
    public async Task ListUsers_WhenFilteredByRoleAndActive_WalksPagesOfExactlyThoseUsers()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var viewers = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            viewers.Add((await CreateUserAsync(admin, "viewer")).Id);
        }

        var inactive = await CreateUserAsync(admin, "viewer");
        await (await admin.PostAsync($"/api/v1/users/{inactive.Id}/deactivate", null)).ReadJsonAsync();

        var seen = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await (await admin.GetAsync($"/api/v1/users?role=viewer&active=true&limit=2{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.All(seen, u => Assert.Equal("viewer", u.GetProperty("role").GetString()));
        Assert.All(seen, u => Assert.True(u.GetProperty("active").GetBoolean()));
        var ids = seen.Select(u => u.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(viewers, id => Assert.Contains(id, ids));
        Assert.DoesNotContain(inactive.Id, ids);
        var inactiveOnly = await (await admin.GetAsync("/api/v1/users?active=false")).ReadJsonAsync();
        Assert.Contains(inactive.Id, inactiveOnly.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("id").GetGuid()));
    }

    [Theory]
    [InlineData("rol=admin")]
    [InlineData("role=boss")]
    [InlineData("active=maybe")]
    [InlineData("limit=0")]
    [InlineData("cursor=garbage")]
    public async Task ListUsers_WhenAFilterIsUnknownOrInvalid_Returns400(string query)
    {
        var admin = await api.SignInAsync("admin@demo.test");

        await (await admin.GetAsync($"/api/v1/users?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task ChangeMyPassword_WhenCurrentIsRight_EndsTheOldTokenAndTheNewPasswordSignsIn()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var user = await CreateUserAsync(admin, "seller");
        var oldSession = await api.SignInAsync(user.Email);

        var answer = await (await oldSession.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = Password, newPassword = "MiClaveNueva2027" })).ReadJsonAsync();

        await (await oldSession.GetAsync("/api/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        var fresh = api.CreateClient();
        fresh.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", answer.GetProperty("accessToken").GetString());
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/api/v1/me")).StatusCode);
        var signIn = await api.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { tenant = "demo", email = user.Email, password = "MiClaveNueva2027" });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var oldPassword = await api.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { tenant = "demo", email = user.Email, password = Password });
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
    }

    [Fact]
    public async Task ChangeMyPassword_WhenCurrentIsWrongOrNewIsWeak_Returns400WithACodeAndKeepsThePassword()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var user = await CreateUserAsync(admin, "viewer");
        var session = await api.SignInAsync(user.Email);

        await (await session.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = "not-it-123", newPassword = "MiClaveNueva2027" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "wrong_password");
        await (await session.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = Password, newPassword = user.Email }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "weak_password");
        await (await session.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = Password, newPassword = "short1" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "weak_password");

        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { tenant = "demo", email = user.Email, password = Password })).StatusCode);
    }

    private static async Task<(Guid Id, string Email)> CreateUserAsync(HttpClient admin, string role)
    {
        var email = $"{role}.{Guid.NewGuid():N}@test.example";
        var created = await (await admin.PostAsJsonAsync("/api/v1/users", new { email, name = $"Usuario {role}", role, password = Password }))
            .ReadJsonAsync(HttpStatusCode.Created);
        return (created.GetProperty("id").GetGuid(), email);
    }

    private static async Task<List<string?>> PermissionsAsync(HttpClient client) =>
        Strings((await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("permissions"));

    private static List<string?> Strings(JsonElement array) => array.EnumerateArray().Select(p => p.GetString()).ToList();
}
