using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Moonflow.Api.Infrastructure;
using Moonflow.Api.Infrastructure.OpenApi;
using Moonflow.Application.Crm.Agendas.ReassignAgendas;
using Moonflow.Application.Crm.Bases.AssociateLot;
using Moonflow.Application.Crm.Bases.DissociateContacts;
using Moonflow.Application.Crm.Contacts;
using Moonflow.Application.Crm.Contacts.BulkDeleteContacts;
using Moonflow.Application.Crm.Contacts.BulkTagContacts;
using Moonflow.Application.Crm.Contacts.PreviewRecycleContacts;
using Moonflow.Application.Crm.Contacts.RecycleContacts;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Domain.Crm;

namespace Moonflow.Api.Crm;

internal static partial class CrmEndpoints
{
    private const string RecycleFilters =
        "Filters: baseId (required), attemptsLessThan / attemptsGreaterThan (strict), userIds (managed last by), lastContactFrom / lastContactTo (yyyy-MM-dd, inclusive, the tenant's days), subcategoryIds.";

    private static void MapProcesses(RouteGroupBuilder crm)
    {
        crm.MapPost("/contacts/recycle", (RecycleCriteria criteria, IMediator mediator, CancellationToken ct) =>
                Accept(mediator.Send(new RecycleContactsCommand(RecycleMode.Recycle, criteria), ct)))
            .WithName("RecycleCrmContacts")
            .WithSummary($"Recycle a base's matching contacts as a tracked process: dialable again (attempts 0, subcategory and last user cleared) and their call history deleted; do-not-call contacts are skipped items. {RecycleFilters}")
            .WithProcessResponses()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "criteria_match_nothing");

        crm.MapPost("/contacts/reprocess", (RecycleCriteria criteria, IMediator mediator, CancellationToken ct) =>
                Accept(mediator.Send(new RecycleContactsCommand(RecycleMode.Reprocess, criteria), ct)))
            .WithName("ReprocessCrmContacts")
            .WithSummary($"Reprocess a base's matching contacts as a tracked process: as recycle, but their call history is kept. {RecycleFilters}")
            .WithProcessResponses()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "criteria_match_nothing");

        crm.MapPost("/contacts/recycle/preview", (RecycleCriteria criteria, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new PreviewRecycleContactsQuery(RecycleMode.Recycle, criteria), ct))
            .WithName("PreviewRecycleCrmContacts")
            .WithSummary("What a recycle with these filters would do: contacts matched, of them do-not-call, and how many would change. Nothing runs.")
            .WithPreviewResponses()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "criteria_match_nothing");

        crm.MapPost("/contacts/reprocess/preview", (RecycleCriteria criteria, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new PreviewRecycleContactsQuery(RecycleMode.Reprocess, criteria), ct))
            .WithName("PreviewReprocessCrmContacts")
            .WithSummary("What a reprocess with these filters would do: contacts matched, of them do-not-call, and how many would change. Nothing runs.")
            .WithPreviewResponses()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "criteria_match_nothing");

        crm.MapPost("/agendas/reassign", (ReassignAgendasCommand command, IMediator mediator, CancellationToken ct) => Accept(mediator.Send(command, ct)))
            .WithName("ReassignCrmAgendas")
            .WithSummary("Hand the pending agendas of 'fromUserIds' to 'toUserIds' as a tracked process, round-robin by due date: no target gets more than one more than another. Users of another tenant are a 404, inactive targets a 400.")
            .WithProcessResponses()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "reassign_users_invalid");

        crm.MapPost("/bases/{id:guid}/associate", (Guid id, AssociateBody body, IMediator mediator, CancellationToken ct) =>
                Accept(mediator.Send(new AssociateLotCommand(id, body.LotId), ct)))
            .WithName("AssociateCrmLot")
            .WithSummary("Add the contacts of 'lotId' to the base as a tracked process; contacts already in it are skipped items.")
            .WithProcessResponses();

        crm.MapPost("/bases/{id:guid}/dissociate", (Guid id, DissociateBody body, IMediator mediator, CancellationToken ct) =>
                Accept(mediator.Send(new DissociateContactsCommand(id, body.LotId, body.SubcategoryIds), ct)))
            .WithName("DissociateCrmContacts")
            .WithSummary("Remove the base's contacts of 'lotId' and/or resolved with 'subcategoryIds' (at least one, else 400 dissociate_needs_criterion) as a tracked process.")
            .WithProcessResponses()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "dissociate_needs_criterion");

        crm.MapPost("/contacts/bulk/tags", (BulkTagContactsCommand command, IMediator mediator, CancellationToken ct) => Accept(mediator.Send(command, ct)))
            .WithName("BulkTagCrmContacts")
            .WithSummary("Add and remove tags on listed contacts ('contactIds') or on every contact matching 'filter' (the list's filters), as a tracked process.")
            .WithProcessResponses();

        crm.MapPost("/contacts/bulk/delete", (BulkDeleteContactsCommand command, IMediator mediator, CancellationToken ct) => Accept(mediator.Send(command, ct)))
            .WithName("BulkDeleteCrmContacts")
            .WithSummary("Delete listed contacts ('contactIds') or every contact matching 'filter', with their call history and agendas, as a tracked process.")
            .WithProcessResponses();
    }

    private static async Task<AcceptedAtRoute<ProcessAccepted>> Accept(Task<ProcessAccepted> accepted)
    {
        var result = await accepted;
        return TypedResults.AcceptedAtRoute(result, "GetProcess", new { id = result.ProcessId });
    }

    private static RouteHandlerBuilder WithProcessResponses(this RouteHandlerBuilder builder) => builder
        .WithIdempotency()
        .Produces<ProcessAccepted>(StatusCodes.Status202Accepted)
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound);

    private static RouteHandlerBuilder WithPreviewResponses(this RouteHandlerBuilder builder) => builder
        .Produces<RecyclePreview>()
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound);

    [ValidatedAs(typeof(AssociateLotCommand))]
    [System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
    private sealed record AssociateBody(Guid LotId);

    [System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
    private sealed record DissociateBody(Guid? LotId, IReadOnlyList<Guid>? SubcategoryIds);
}
