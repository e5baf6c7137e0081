using MediatR;
using Moonflow.Api.Infrastructure.OpenApi;
using Moonflow.Application.Identity.ApiKeys;
using Moonflow.Application.Identity.ApiKeys.CreateApiKey;
using Moonflow.Application.Identity.ApiKeys.ListApiKeys;
using Moonflow.Application.Identity.ApiKeys.RevokeApiKey;
using Moonflow.Application.Identity.GetMe;
using Moonflow.Application.Identity.IssueToken;
using Moonflow.Application.Identity.Preferences.GetColumnPreference;
using Moonflow.Application.Identity.Preferences.SaveColumnPreference;
using Moonflow.Application.Identity.TenantSettings;
using Moonflow.Application.Identity.TenantSettings.GetTenantSettings;
using Moonflow.Application.Identity.TenantSettings.UpdateTenantSettings;
using Moonflow.Application.Common.Security;
using Moonflow.Infrastructure.Identity;

namespace Moonflow.Api.Identity;

internal static class IdentityEndpoints
{
    public static void MapIdentityEndpoints(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTag("Identity", "Signing in, the caller, their saved preferences and the tenant's settings.");
        auth.MapPost("/token", (IssueTokenCommand command, IMediator mediator, CancellationToken ct) => mediator.Send(command, ct))
            .AllowAnonymous()
            .WithName("IssueToken")
            .WithSummary("Sign in with tenant, e-mail and password; returns a bearer token.")
            .Produces<TokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblemCodes(StatusCodes.Status429TooManyRequests, "rate_limited");

        api.MapGet("/me", (IMediator mediator, CancellationToken ct) => mediator.Send(new GetMeQuery(), ct))
            .WithTags("Identity")
            .WithName("GetMe")
            .WithSummary("The caller: user, tenant, roles and permissions.")
            .Produces<MeDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        var preferences = api.MapGroup("/me/preferences").WithTags("Identity");
        preferences.MapGet("/columns/{tray}", (string tray, IMediator mediator, CancellationToken ct) => mediator.Send(new GetColumnPreferenceQuery(tray), ct))
            .WithName("GetColumnPreference")
            .WithSummary("The columns the caller sees in a tray (e.g. 'interactions'): their saved choice, or the tray's defaults.")
            .Produces<ColumnPreferenceDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        preferences.MapPut("/columns/{tray}", (string tray, ColumnChoice body, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new SaveColumnPreferenceCommand(tray, body.Columns ?? []), ct))
            .WithName("SaveColumnPreference")
            .WithSummary("Save the columns the caller wants in a tray; lists without 'fields' use them from then on. Unknown keys → 400.")
            .Produces<ColumnPreferenceDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var settings = api.MapGroup("/tenant/settings").WithTags("Identity");
        settings.MapGet("/", (IMediator mediator, CancellationToken ct) => mediator.Send(new GetTenantSettingsQuery(), ct))
            .WithName("GetTenantSettings")
            .WithSummary("Admins: the tenant's time zone (IANA id) and nightly window (the local time deferred downloads run, HH:mm), and when the window next opens.")
            .Produces<TenantSettingsDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        settings.MapPut("/", async (TenantSettingsBody body, IMediator mediator, ICurrentUser caller, TenantLanguages languages, CancellationToken ct) =>
            {
                var updated = await mediator.Send(new UpdateTenantSettingsCommand(body.TimeZone ?? string.Empty, body.NightlyWindow ?? string.Empty, body.Language), ct);

                // Committed by now: this node answers the tenant's next requests in the new language at once (others within TenantLanguages.Lifetime).
                languages.Forget(caller.TenantId);
                return updated;
            })
            .WithName("UpdateTenantSettings")
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "unknown_time_zone")
            .WithSummary("Admins: set the tenant's time zone and nightly window. Deferred downloads still waiting move to the new window. An unknown time zone → 400 unknown_time_zone.")
            .Produces<TenantSettingsDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        var keys = api.MapGroup("/api-keys").WithTag("API keys", "Partner API keys (header X-Api-Key): issued with a subset of the issuer's permissions, shown once, revocable.");
        keys.MapPost("/", async (CreateApiKeyCommand command, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/v1/api-keys/{created.Id}", created);
            })
            .WithName("CreateApiKey")
            .WithSummary("Issue an API key for a partner system. The secret 'key' is shown in this answer only.")
            .Produces<CreatedApiKeyDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "permission_not_held");
        keys.MapGet("/", (IMediator mediator, CancellationToken ct) => mediator.Send(new ListApiKeysQuery(), ct))
            .WithName("ListApiKeys")
            .WithSummary("The tenant's API keys (never their secrets).")
            .Produces<IReadOnlyList<ApiKeyDto>>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        keys.MapPost("/{id:guid}/revoke", async (Guid id, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new RevokeApiKeyCommand(id), ct);
                return TypedResults.NoContent();
            })
            .WithName("RevokeApiKey")
            .WithSummary("Revoke an API key; requests with it are refused from now on.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}

/// <summary>Body of PUT /tenant/settings: an IANA time zone id and the nightly window as HH:mm, e.g. <c>{ "timeZone": "America/Bogota", "nightlyWindow": "02:00" }</c>; optionally the language of its users' emails, <c>"es"</c> or <c>"en"</c>.</summary>
[ValidatedAs(typeof(UpdateTenantSettingsCommand))]
internal sealed record TenantSettingsBody(string? TimeZone, string? NightlyWindow, string? Language = null);

/// <summary>Body of PUT /me/preferences/columns/{tray}.</summary>
internal sealed record ColumnChoice(IReadOnlyList<string>? Columns);
