using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Moonflow.Api.Infrastructure;
using Moonflow.Api.Infrastructure.OpenApi;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Crm;
using Moonflow.Application.Crm.Agendas;
using Moonflow.Application.Crm.Agendas.CancelAgenda;
using Moonflow.Application.Crm.Agendas.CompleteAgenda;
using Moonflow.Application.Crm.Agendas.CreateAgenda;
using Moonflow.Application.Crm.Agendas.ListAgendas;
using Moonflow.Application.Crm.Bases.CreateBase;
using Moonflow.Application.Crm.Bases.ListBases;
using Moonflow.Application.Crm.Categories.CreateCategory;
using Moonflow.Application.Crm.Categories.ListCategories;
using Moonflow.Application.Crm.Lots.CreateLot;
using Moonflow.Application.Crm.Lots.ListLots;
using Moonflow.Application.Crm.Contacts;
using Moonflow.Application.Crm.Contacts.CreateContact;
using Moonflow.Application.Crm.Contacts.GetContact;
using Moonflow.Application.Crm.Contacts.ListContactCalls;
using Moonflow.Application.Crm.Contacts.ListContacts;
using Moonflow.Application.Crm.Contacts.LogContactCall;
using Moonflow.Application.Crm.Conversations.GetConversation;
using Moonflow.Application.Crm.Conversations.ListConversations;
using Moonflow.Application.Crm.Entities.CreateEntity;
using Moonflow.Application.Crm.Entities.CreateEntityRecord;
using Moonflow.Application.Crm.Entities.ListEntities;
using Moonflow.Application.Crm.Entities.ListEntityRecords;
using Moonflow.Application.Crm.Screens.CreateScreen;
using Moonflow.Application.Crm.Screens.ListScreens;
using Moonflow.Domain.Crm;

namespace Moonflow.Api.Crm;

internal static partial class CrmEndpoints
{
    public static RouteGroupBuilder MapCrmEndpoints(this RouteGroupBuilder api)
    {
        var crm = api.MapGroup("/crm").WithTag("CRM", "The contact-center CRM: contacts and their calls, bases and lots, categories, agendas, conversations, custom entities and screens, and the bulk processes over contacts and agendas.");
        MapContacts(crm);
        MapCatalog(crm);
        MapAgendas(crm);
        MapConversations(crm);
        MapEntitiesAndScreens(crm);
        MapScripts(crm);
        MapProcesses(crm);
        MapImports(crm);
        return crm;
    }

    private static void MapContacts(RouteGroupBuilder crm)
    {
        crm.MapGet("/contacts", (
                string? search, Guid? baseId, Guid? lotId, Guid? subcategoryId, Guid? userId, int? attemptsMin, int? attemptsMax,
                DateTimeOffset? lastContactFrom, DateTimeOffset? lastContactTo, bool? doNotCall, string? tag, string? cursor, int? limit,
                IMediator mediator, CancellationToken ct) =>
                mediator.Send(
                    new ListContactsQuery(
                        new ContactFilter(search, baseId, lotId, subcategoryId, userId, attemptsMin, attemptsMax, lastContactFrom, lastContactTo, doNotCall, tag),
                        cursor, limit ?? Cursor.DefaultLimit),
                    ct))
            .WithStrictQuery()
            .WithName("ListCrmContacts")
            .WithSummary("Contacts, newest first. Filters: baseId, lotId, subcategoryId, userId (managed last by), attemptsMin/attemptsMax (inclusive), lastContactFrom / lastContactTo (both inclusive), doNotCall, tag, search (document prefix or part of the name). Unknown parameters are a 400; another tenant's ids a 404.")
            .WithListResponses<Page<ContactDto>>();

        crm.MapGet("/contacts/{id:guid}", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetContactQuery(id), ct))
            .WithName("GetCrmContact")
            .WithSummary("One contact.")
            .WithOneResponses<ContactDto>();

        crm.MapPost("/contacts", async (CreateContactCommand command, IMediator mediator, CancellationToken ct) =>
            {
                var contact = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/v1/crm/contacts/{contact.Id}", contact);
            })
            .WithName("CreateCrmContact")
            .WithSummary("Create a contact, keyed by its document (type + number, unique in the tenant) or by a phone.")
            .WithCreateResponses<ContactDto>("contact_exists")
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "contact_document_incomplete");

        crm.MapGet("/contacts/{id:guid}/calls", (Guid id, string? cursor, int? limit, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListContactCallsQuery(id, cursor, limit ?? Cursor.DefaultLimit), ct))
            .WithStrictQuery()
            .WithName("ListCrmContactCalls")
            .WithSummary("A contact's call history, newest first.")
            .WithListResponses<Page<CallDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        crm.MapPost("/contacts/{id:guid}/calls", async (Guid id, LogCallBody body, IMediator mediator, CancellationToken ct) =>
            {
                var call = await mediator.Send(new LogContactCallCommand(id, body.SubcategoryId, body.DurationSeconds, body.Note, body.At), ct);
                return TypedResults.Created($"/api/v1/crm/contacts/{id}/calls", call);
            })
            .WithName("LogCrmContactCall")
            .WithSummary("Log a call the caller made: one more attempt, and the contact's last contact, last user and subcategory follow it.")
            .WithCreateResponses<CallDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static void MapCatalog(RouteGroupBuilder crm)
    {
        crm.MapGet("/bases", (string? cursor, int? limit, IMediator mediator, CancellationToken ct) => mediator.Send(new ListBasesQuery(cursor, limit ?? Cursor.DefaultLimit), ct))
            .WithStrictQuery()
            .WithName("ListCrmBases")
            .WithSummary("Campaign bases, newest first, each with its contact count.")
            .WithListResponses<Page<BaseDto>>();

        crm.MapPost("/bases", async (CreateBaseCommand command, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/v1/crm/bases/{created.Id}", created);
            })
            .WithName("CreateCrmBase")
            .WithSummary("Create a campaign base (names are unique in the tenant).")
            .WithCreateResponses<BaseDto>("base_exists");

        crm.MapGet("/lots", (string? cursor, int? limit, IMediator mediator, CancellationToken ct) => mediator.Send(new ListLotsQuery(cursor, limit ?? Cursor.DefaultLimit), ct))
            .WithStrictQuery()
            .WithName("ListCrmLots")
            .WithSummary("Lots of loaded contacts, newest first, each with its contact count.")
            .WithListResponses<Page<LotDto>>();

        crm.MapPost("/lots", async (CreateLotCommand command, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/v1/crm/lots/{created.Id}", created);
            })
            .WithName("CreateCrmLot")
            .WithSummary("Create an empty lot to load contacts into.")
            .WithCreateResponses<LotDto>();

        crm.MapGet("/categories", (IMediator mediator, CancellationToken ct) => mediator.Send(new ListCategoriesQuery(), ct))
            .WithStrictQuery()
            .WithName("ListCrmCategories")
            .WithSummary("Categories with their subcategories (resolutions).")
            .WithListResponses<IReadOnlyList<CategoryDto>>();

        crm.MapPost("/categories", async (CreateCategoryCommand command, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/v1/crm/categories/{created.Id}", created);
            })
            .WithName("CreateCrmCategory")
            .WithSummary("Create a category with its subcategories.")
            .WithCreateResponses<CategoryDto>("category_exists");
    }

    private static void MapAgendas(RouteGroupBuilder crm)
    {
        crm.MapGet("/agendas", (
                Guid? ownerId, string? status, Guid? contactId, DateTimeOffset? dueFrom, DateTimeOffset? dueTo, string? cursor, int? limit,
                IMediator mediator, CancellationToken ct) =>
                mediator.Send(
                    new ListAgendasQuery(new AgendaFilter(ownerId, QueryEnum.Parse<AgendaStatus>(status, "status"), contactId, dueFrom, dueTo), cursor, limit ?? Cursor.DefaultLimit),
                    ct))
            .WithStrictQuery()
            .WithName("ListCrmAgendas")
            .WithSummary("Agendas by due date, soonest first. Filters: ownerId, status (pending, done, cancelled), contactId, dueFrom / dueTo (both inclusive). Agents see their own agendas only.")
            .WithListResponses<Page<AgendaDto>>();

        crm.MapPost("/agendas", async (CreateAgendaCommand command, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/v1/crm/agendas/{created.Id}", created);
            })
            .WithName("CreateCrmAgenda")
            .WithSummary("Schedule a callback of a contact; agents schedule their own, supervisors may name an active owner.")
            .WithCreateResponses<AgendaDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        crm.MapPost("/agendas/{id:guid}/complete", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new CompleteAgendaCommand(id), ct))
            .WithName("CompleteCrmAgenda")
            .WithSummary("Mark a pending agenda done (409 agenda_not_pending otherwise).")
            .WithOneResponses<AgendaDto>()
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "agenda_not_pending");

        crm.MapPost("/agendas/{id:guid}/cancel", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new CancelAgendaCommand(id), ct))
            .WithName("CancelCrmAgenda")
            .WithSummary("Cancel a pending agenda (409 agenda_not_pending otherwise).")
            .WithOneResponses<AgendaDto>()
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "agenda_not_pending");
    }

    private static void MapConversations(RouteGroupBuilder crm)
    {
        crm.MapGet("/conversations", (string? status, string? channel, string? cursor, int? limit, IMediator mediator, CancellationToken ct) =>
                mediator.Send(
                    new ListConversationsQuery(
                        QueryEnum.Parse<ConversationStatus>(status, "status"), QueryEnum.Parse<ConversationChannel>(channel, "channel"), cursor, limit ?? Cursor.DefaultLimit),
                    ct))
            .WithStrictQuery()
            .WithName("ListCrmConversations")
            .WithSummary("Digital-channel conversations, newest first; filters: status (open, closed), channel.")
            .WithListResponses<Page<ConversationDto>>();

        crm.MapGet("/conversations/{id:guid}", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetConversationQuery(id), ct))
            .WithName("GetCrmConversation")
            .WithSummary("One conversation.")
            .WithOneResponses<ConversationDto>();
    }

    private static void MapEntitiesAndScreens(RouteGroupBuilder crm)
    {
        crm.MapGet("/entities", (IMediator mediator, CancellationToken ct) => mediator.Send(new ListEntitiesQuery(), ct))
            .WithStrictQuery()
            .WithName("ListCrmEntities")
            .WithSummary("The tenant's entities with their typed fields.")
            .WithListResponses<IReadOnlyList<EntityDto>>();

        crm.MapPost("/entities", async (CreateEntityCommand command, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/v1/crm/entities/{created.Id}", created);
            })
            .WithName("CreateCrmEntity")
            .WithSummary("Define an entity: fields of type text, number, date, boolean or list (with its options).")
            .WithCreateResponses<EntityDto>("entity_exists");

        crm.MapGet("/entities/{id:guid}/records", (Guid id, string? cursor, int? limit, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListEntityRecordsQuery(id, cursor, limit ?? Cursor.DefaultLimit), ct))
            .WithStrictQuery()
            .WithName("ListCrmEntityRecords")
            .WithSummary("An entity's records, newest first.")
            .WithListResponses<Page<EntityRecordDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        crm.MapPost("/entities/{id:guid}/records", async (Guid id, EntityRecordBody body, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(new CreateEntityRecordCommand(id, body.ContactId, body.Values), ct);
                return TypedResults.Created($"/api/v1/crm/entities/{id}/records/{created.Id}", created);
            })
            .WithName("CreateCrmEntityRecord")
            .WithSummary("Add a record to an entity; values are given as text and checked against the fields' types.")
            .WithCreateResponses<EntityRecordDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        crm.MapGet("/screens", (IMediator mediator, CancellationToken ct) => mediator.Send(new ListScreensQuery(), ct))
            .WithStrictQuery()
            .WithName("ListCrmScreens")
            .WithSummary("Screens with their sub-screens and scripts, in order.")
            .WithListResponses<IReadOnlyList<ScreenDto>>();

        crm.MapPost("/screens", async (CreateScreenCommand command, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/v1/crm/screens/{created.Id}", created);
            })
            .WithName("CreateCrmScreen")
            .WithSummary("Create a screen with its sub-screens and their scripts.")
            .WithCreateResponses<ScreenDto>("screen_exists");
    }

    private static RouteHandlerBuilder WithListResponses<T>(this RouteHandlerBuilder builder) => builder
        .Produces<T>()
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound);

    private static RouteHandlerBuilder WithOneResponses<T>(this RouteHandlerBuilder builder) => builder
        .Produces<T>()
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>A creation's answers; <paramref name="conflicts"/> are the 409 codes it can give (none: no 409 is documented).</summary>
    private static RouteHandlerBuilder WithCreateResponses<T>(this RouteHandlerBuilder builder, params string[] conflicts)
    {
        builder
            .Produces<T>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return conflicts.Length == 0 ? builder : builder.ProducesProblemCodes(StatusCodes.Status409Conflict, conflicts);
    }

    [ValidatedAs(typeof(LogContactCallCommand))]
    private sealed record LogCallBody(Guid? SubcategoryId, int DurationSeconds, string? Note, DateTimeOffset? At);

    [ValidatedAs(typeof(CreateEntityRecordCommand))]
    private sealed record EntityRecordBody(Guid? ContactId, IReadOnlyDictionary<string, string?> Values);
}
