using MediatR;
using Moonflow.Api.Infrastructure;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Trays;
using Moonflow.Application.Interactions;
using Moonflow.Application.Interactions.GetInteraction;
using Moonflow.Application.Interactions.ListInteractionColumns;
using Moonflow.Application.Interactions.ListInteractions;
using Moonflow.Domain.Common;
using Moonflow.Domain.Interactions;

namespace Moonflow.Api.Endpoints;

internal static class InteractionsEndpoints
{
    public static RouteGroupBuilder MapInteractionsEndpoints(this RouteGroupBuilder api)
    {
        var interactions = api.MapGroup("/interactions").WithTags("Interactions");

        interactions.MapGet("/", (
                DateTimeOffset? from, DateTimeOffset? to, string[]? direction, string[]? status, string[]? channel, Guid? advisorId,
                string? campaign, string? template, Guid? clientId, string? sort, string? fields, string? cursor, int? limit,
                IMediator mediator, CancellationToken ct) =>
                mediator.Send(
                    new ListInteractionsQuery(
                        new InteractionFilter(
                            from, to, QueryEnum.ParseMany<InteractionDirection>(direction, "direction"), QueryEnum.ParseMany<InteractionStatus>(status, "status"),
                            QueryEnum.ParseMany<InteractionChannel>(channel, "channel"), advisorId, campaign, template, clientId),
                        SortAscending(sort), QueryEnum.SplitList(fields is null ? null : [fields]), cursor, limit ?? Cursor.DefaultLimit),
                    ct))
            .WithName("ListInteractions")
            .WithSummary("The interactions tray: filter by send date, direction, status, channel (several values allowed), advisor, campaign, template or client; sort by send date ('-sendAt' newest first, the default, or 'sendAt'); 'fields' picks the columns (else the caller's saved choice).")
            .Produces<InteractionsPage>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        interactions.MapGet("/columns", (IMediator mediator, CancellationToken ct) => mediator.Send(new ListInteractionColumnsQuery(), ct))
            .WithName("ListInteractionColumns")
            .WithSummary("Every column of the interactions tray: key, labels, and whether it shows by default.")
            .Produces<IReadOnlyList<TrayColumn>>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        interactions.MapGet("/{id:guid}", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetInteractionQuery(id), ct))
            .WithName("GetInteraction")
            .WithSummary("One interaction with every field.")
            .Produces<InteractionDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return interactions;
    }

    private static bool SortAscending(string? sort) => sort switch
    {
        null or "" or "-sendAt" => false,
        "sendAt" => true,
        _ => throw new DomainValidationException("sort", $"'{sort}' is not a sort; use 'sendAt' or '-sendAt'."),
    };
}
