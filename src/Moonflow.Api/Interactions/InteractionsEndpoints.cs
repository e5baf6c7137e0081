using MediatR;
using Moonflow.Api.Infrastructure;
using Moonflow.Api.Infrastructure.OpenApi;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Trays;
using Moonflow.Application.Interactions;
using Moonflow.Application.Interactions.GetInteraction;
using Moonflow.Application.Interactions.ListInteractionColumns;
using Moonflow.Application.Interactions.ListInteractions;
using Moonflow.Application.Interactions.GetImportTemplate;
using Moonflow.Application.Interactions.ImportInteractions;
using Moonflow.Application.Common.Files;
using Moonflow.Domain.Common;
using Moonflow.Domain.Interactions;

namespace Moonflow.Api.Interactions;

internal static class InteractionsEndpoints
{
    public static RouteGroupBuilder MapInteractionsEndpoints(this RouteGroupBuilder api)
    {
        var interactions = api.MapGroup("/interactions").WithTag("Interactions", "The contact-center tray of communications with clients (e-mail, SMS, WhatsApp, calls), its columns, and the bulk upload of past communications.");

        interactions.MapGet("/", (
                DateTimeOffset? from, DateTimeOffset? to, [EnumValues(typeof(InteractionDirection))] string[]? direction,
                [EnumValues(typeof(InteractionStatus))] string[]? status, [EnumValues(typeof(InteractionChannel))] string[]? channel, Guid? advisorId,
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

        interactions.MapGet("/import-template", async (string? lang, IMediator mediator, CancellationToken ct) =>
            {
                var template = await mediator.Send(new GetImportTemplateQuery(FormatLanguage.IsEnglish(lang)), ct);
                return TypedResults.Stream(template.Content, template.ContentType, template.FileName);
            })
            .WithName("GetInteractionImportTemplate")
            .WithSummary("The bulk communications template (xlsx): headers in Spanish, or English with ?lang=en; drop-downs for the enumerations; an instructions sheet.")
            .Produces(StatusCodes.Status200OK, contentType: ContentTypes.Xlsx)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        interactions.MapUpload("/imports", "ImportInteractions", (upload, dryRun) => new ImportInteractionsCommand(upload, dryRun))
            .WithSummary("Upload past communications (multipart field 'file', .xlsx or .csv, checked by content). Registers them, sends nothing. Runs as a process: each row becomes an item (created, duplicate or failed) and failed rows come back in an error workbook. With dryRun=true (query or form field) every row is checked and its item says what would happen (would_create, duplicate, failed); nothing is registered.");

        return interactions;
    }

    private static bool SortAscending(string? sort) => sort switch
    {
        null or "" or "-sendAt" => false,
        "sendAt" => true,
        _ => throw new DomainValidationException("sort", $"'{sort}' is not a sort; use 'sendAt' or '-sendAt'."),
    };
}
