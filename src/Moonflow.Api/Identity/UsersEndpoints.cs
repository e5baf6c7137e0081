using MediatR;
using Moonflow.Api.Infrastructure;
using Moonflow.Api.Infrastructure.OpenApi;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Identity.ChangeMyPassword;
using Moonflow.Application.Identity.IssueToken;
using Moonflow.Application.Identity.Users;
using Moonflow.Application.Identity.Users.ActivateUser;
using Moonflow.Application.Identity.Users.ChangeUserRole;
using Moonflow.Application.Identity.Users.CreateUser;
using Moonflow.Application.Identity.Users.DeactivateUser;
using Moonflow.Application.Identity.Users.GetUser;
using Moonflow.Application.Identity.Users.GrantUserPermission;
using Moonflow.Application.Identity.Users.ListUsers;
using Moonflow.Application.Identity.Users.RevokeUserPermission;
using Moonflow.Domain.Common;
using Moonflow.Domain.Identity;

namespace Moonflow.Api.Identity;

internal static class UsersEndpoints
{
    /// <summary>The list's query parameters; any other is refused rather than silently ignored (a typo would list everyone).</summary>
    private static readonly string[] ListParameters = ["role", "active", "cursor", "limit"];

    public static void MapUsersEndpoints(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTag("Users", "Admins manage the tenant's users: create them, change their role, deactivate and reactivate them, and grant or revoke per-user permissions.");

        users.MapGet("/", (string? role, string? active, string? cursor, int? limit, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                RefuseUnknownParameters(http.Request.Query);
                return mediator.Send(
                    new ListUsersQuery(QueryEnum.Parse<Role>(role, "role"), ParseActive(active), cursor, limit ?? Cursor.DefaultLimit), ct);
            })
            .WithName("ListUsers")
            .WithSummary("Admins: the tenant's users, newest first; filter by 'role' (admin, seller, agent, viewer) and 'active' (true/false). Unknown parameters → 400.")
            .Produces<Page<UserDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        users.MapPost("/", async (CreateUserCommand command, IMediator mediator, CancellationToken ct) =>
            {
                var user = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/v1/users/{user.Id}", user);
            })
            .WithName("CreateUser")
            .WithSummary("Admins: add a user with an initial password (10+ characters, letters and digits, not the e-mail → else 400 weak_password). An e-mail already in the tenant → 409 user_exists.")
            .Produces<UserDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "weak_password")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "user_exists");

        users.MapGet("/{id:guid}", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetUserQuery(id), ct))
            .WithName("GetUser")
            .WithSummary("Admins: one user of the tenant, with its role, grants and effective permissions.")
            .Produces<UserDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapPut("/{id:guid}/role", (Guid id, RoleBody body, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ChangeUserRoleCommand(id, body.Role ?? throw new DomainValidationException("role", "Give the role: admin, seller, agent or viewer.")), ct))
            .WithName("ChangeUserRole")
            .WithSummary("Admins: change a user's role; it applies from their next request. The last active admin keeps the role (409 last_admin).")
            .WithUserChangeResponses("last_admin");

        users.MapPost("/{id:guid}/deactivate", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new DeactivateUserCommand(id), ct))
            .WithName("DeactivateUser")
            .WithSummary("Admins: the user's tokens and sign-ins are refused from now on (API keys are not affected). The last active admin cannot be deactivated (409 last_admin).")
            .WithUserChangeResponses("last_admin");

        users.MapPost("/{id:guid}/activate", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new ActivateUserCommand(id), ct))
            .WithName("ActivateUser")
            .WithSummary("Admins: the user may sign in again; tokens issued before the deactivation stay refused.")
            .WithUserChangeResponses();

        users.MapPut("/{id:guid}/permissions/{permission}", (Guid id, string permission, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new GrantUserPermissionCommand(id, permission), ct))
            .WithName("GrantUserPermission")
            .WithSummary("Admins: grant a per-user permission (only 'backups.request' is grantable; others → 400 permission_not_grantable). Effective on the user's next request.")
            .WithUserChangeResponses()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "permission_not_grantable");

        users.MapDelete("/{id:guid}/permissions/{permission}", (Guid id, string permission, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new RevokeUserPermissionCommand(id, permission), ct))
            .WithName("RevokeUserPermission")
            .WithSummary("Admins: revoke a per-user permission; the user's tokens lose it on their next request.")
            .WithUserChangeResponses()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "permission_not_grantable");

        api.MapPost("/me/password", (ChangeMyPasswordCommand command, IMediator mediator, CancellationToken ct) => mediator.Send(command, ct))
            .WithTags("Identity")
            .WithName("ChangeMyPassword")
            .WithSummary("Set your own password: the current one (wrong → 400 wrong_password) and a new one (10+ characters, letters and digits, not your e-mail → else 400 weak_password). Earlier tokens stop working; the answer is a fresh token.")
            .Produces<TokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "wrong_password", "weak_password");
    }

    private static void RefuseUnknownParameters(IQueryCollection query)
    {
        foreach (var key in query.Keys)
        {
            if (!ListParameters.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                throw new DomainValidationException(key, $"Unknown filter '{key}'; the users list takes: {string.Join(", ", ListParameters)}.");
            }
        }
    }

    private static bool? ParseActive(string? active) =>
        string.IsNullOrWhiteSpace(active) ? null
        : bool.TryParse(active.Trim(), out var value) ? value
        : throw new DomainValidationException("active", $"'{active}' is not a valid active filter; use true or false.");

    /// <summary>A change to a user: <paramref name="conflicts"/> are its 409 codes (none: no 409 is documented).</summary>
    private static RouteHandlerBuilder WithUserChangeResponses(this RouteHandlerBuilder builder, params string[] conflicts)
    {
        builder
            .Produces<UserDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return conflicts.Length == 0 ? builder : builder.ProducesProblemCodes(StatusCodes.Status409Conflict, conflicts);
    }
}

/// <summary>Body of PUT /users/{id}/role, e.g. <c>{ "role": "seller" }</c>.</summary>
[ValidatedAs(typeof(ChangeUserRoleCommand))]
internal sealed record RoleBody(Role? Role);
