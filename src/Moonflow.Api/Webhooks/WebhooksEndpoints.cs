using MediatR;
using Moonflow.Api.Infrastructure.OpenApi;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Webhooks;
using Moonflow.Application.Webhooks.DeleteWebhook;
using Moonflow.Application.Webhooks.GetWebhook;
using Moonflow.Application.Webhooks.ListWebhookDeliveries;
using Moonflow.Application.Webhooks.ListWebhookEvents;
using Moonflow.Application.Webhooks.ListWebhooks;
using Moonflow.Application.Webhooks.RedeliverWebhook;
using Moonflow.Application.Webhooks.RegisterWebhook;
using Moonflow.Application.Webhooks.RotateWebhookSecret;
using Moonflow.Application.Webhooks.TestWebhook;
using Moonflow.Application.Webhooks.UpdateWebhook;
using Moonflow.Domain.Webhooks;

namespace Moonflow.Api.Webhooks;

internal static class WebhooksEndpoints
{
    public static void MapWebhooksEndpoints(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTag("Webhooks", "Partner webhooks: subscriptions to events (signed HTTP POSTs with retries), their secrets, test pings and the delivery log with redelivery.");
        webhooks.MapGet("/events", (IMediator mediator, CancellationToken ct) => mediator.Send(new ListWebhookEventsQuery(), ct))
            .WithName("ListWebhookEvents")
            .WithSummary("The events an endpoint can subscribe to.")
            .Produces<IReadOnlyList<WebhookEventType>>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        webhooks.MapPost("/", async (WebhookBody body, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(new RegisterWebhookCommand(body.Url ?? string.Empty, body.Events ?? [], body.Description), ct);
                return TypedResults.Created($"/api/v1/webhooks/{created.Webhook.Id}", created);
            })
            .WithName("RegisterWebhook")
            .WithSummary("Admins: register an endpoint for some events. The signing secret (whsec_…) is in this answer only. A URL that is not https (outside Development) or resolves to a private address → 400 webhook_target_refused; an unknown event → 400 unknown_webhook_event.")
            .Produces<WebhookSecretDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "webhook_target_refused", "unknown_webhook_event");
        webhooks.MapGet("/", (IMediator mediator, CancellationToken ct) => mediator.Send(new ListWebhooksQuery(), ct))
            .WithName("ListWebhooks")
            .WithSummary("Admins: the tenant's endpoints (never their secrets).")
            .Produces<IReadOnlyList<WebhookDto>>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        webhooks.MapGet("/{id:guid}", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetWebhookQuery(id), ct))
            .WithName("GetWebhook")
            .WithSummary("Admins: one endpoint, whether it is failing and why it was disabled.")
            .Produces<WebhookDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPatch("/{id:guid}", (Guid id, WebhookChange body, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new UpdateWebhookCommand(id, body.Url, body.Events, body.Enabled), ct))
            .WithName("UpdateWebhook")
            .WithSummary("Admins: change the url, the events or enabled; what is left out stays. Enabling again clears the failure record.")
            .Produces<WebhookDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "webhook_target_refused", "unknown_webhook_event");
        webhooks.MapDelete("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new DeleteWebhookCommand(id), ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteWebhook")
            .WithSummary("Admins: remove an endpoint and its delivery log.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id:guid}/rotate-secret", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new RotateWebhookSecretCommand(id), ct))
            .WithName("RotateWebhookSecret")
            .WithSummary("Admins: a new signing secret, shown once. For 24 hours every message carries both signatures, so receivers can switch without missing one.")
            .Produces<WebhookSecretDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id:guid}/test", async (Guid id, IMediator mediator, CancellationToken ct) =>
            {
                var delivery = await mediator.Send(new TestWebhookCommand(id), ct);
                return TypedResults.Accepted($"/api/v1/webhooks/{id}/deliveries", delivery);
            })
            .WithName("TestWebhook")
            .WithSummary("Admins: send a 'ping' event to the endpoint; its outcome shows in the delivery log.")
            .Produces<WebhookDeliveryDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapGet("/{id:guid}/deliveries", (Guid id, string? cursor, int? limit, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListWebhookDeliveriesQuery(id, cursor, limit ?? Cursor.DefaultLimit), ct))
            .WithName("ListWebhookDeliveries")
            .WithSummary("Admins: the endpoint's deliveries, newest first: event, attempt, status code, duration, response excerpt, next attempt.")
            .Produces<Page<WebhookDeliveryDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/redeliver", async (Guid id, Guid deliveryId, IMediator mediator, CancellationToken ct) =>
            {
                var delivery = await mediator.Send(new RedeliverWebhookCommand(id, deliveryId), ct);
                return TypedResults.Accepted($"/api/v1/webhooks/{id}/deliveries", delivery);
            })
            .WithName("RedeliverWebhook")
            .WithSummary("Admins: send a delivery again (same webhook-id and body) once it has succeeded or given up; while it is still being attempted → 409 webhook_delivery_pending.")
            .Produces<WebhookDeliveryDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "webhook_delivery_pending");
    }
}

/// <summary>Body of POST /webhooks: <c>{ "url": "https://partner.example/hooks", "events": ["process.finished"], "description": "ERP" }</c>.</summary>
[ValidatedAs(typeof(RegisterWebhookCommand))]
internal sealed record WebhookBody(string? Url, IReadOnlyList<string>? Events, string? Description);

/// <summary>Body of PATCH /webhooks/{id}: any of url, events, enabled.</summary>
[ValidatedAs(typeof(UpdateWebhookCommand))]
internal sealed record WebhookChange(string? Url, IReadOnlyList<string>? Events, bool? Enabled);
