using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Moonflow.Api.Infrastructure;
using Moonflow.Api.Infrastructure.OpenApi;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Application.Receivables.Clients;
using Moonflow.Application.Receivables.Clients.BulkDeleteClients;
using Moonflow.Application.Receivables.Clients.BulkTagClients;
using Moonflow.Application.Receivables.Clients.CreateClient;
using Moonflow.Application.Receivables.Clients.GetClient;
using Moonflow.Application.Receivables.Clients.ListClients;
using Moonflow.Domain.Receivables;

namespace Moonflow.Api.Receivables;

internal static class ClientsEndpoints
{
    public static void MapClientsEndpoints(this RouteGroupBuilder api)
    {
        var clients = api.MapGroup("/clients").WithTag("Clients", "Receivables: the tenant's clients (debtors), their tags, and bulk actions over a selection of them, which run as processes.");

        clients.MapPost("/", async (CreateClientCommand command, IMediator mediator, CancellationToken ct) =>
            {
                var client = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/v1/clients/{client.Id}", client);
            })
            .WithName("CreateClient")
            .WithSummary("Create a client; the document (type + number) is unique in the tenant.")
            .Produces<ClientDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "client_exists");

        clients.MapGet("/", (string? search, string? documentType, string? tag, string? cursor, int? limit, IMediator mediator, CancellationToken ct) =>
                mediator.Send(
                    new ListClientsQuery(new ClientFilter(search, QueryEnum.Parse<DocumentType>(documentType, "documentType"), tag), cursor, limit ?? Cursor.DefaultLimit),
                    ct))
            .WithName("ListClients")
            .WithSummary("Clients, newest first; 'search' matches a document number prefix or part of the name.")
            .Produces<Page<ClientDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        clients.MapGet("/{id:guid}", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetClientQuery(id), ct))
            .WithName("GetClient")
            .WithSummary("One client.")
            .Produces<ClientDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        clients.MapPost("/bulk/tags", (BulkTagClientsCommand command, IMediator mediator, CancellationToken ct) => Accept(mediator.Send(command, ct)))
            .WithName("BulkTagClients")
            .WithSummary("Add and remove tags on listed clients ('clientIds') or on every client matching 'filter', as a tracked process.")
            .WithBulkResponses();

        clients.MapPost("/bulk/delete", (BulkDeleteClientsCommand command, IMediator mediator, CancellationToken ct) => Accept(mediator.Send(command, ct)))
            .WithName("BulkDeleteClients")
            .WithSummary("Delete listed clients ('clientIds') or every client matching 'filter', as a tracked process.")
            .WithBulkResponses();
    }

    private static async Task<AcceptedAtRoute<ProcessAccepted>> Accept(Task<ProcessAccepted> accepted)
    {
        var result = await accepted;
        return TypedResults.AcceptedAtRoute(result, "GetProcess", new { id = result.ProcessId });
    }

    private static RouteHandlerBuilder WithBulkResponses(this RouteHandlerBuilder builder) => builder
        .WithIdempotency()
        .Produces<ProcessAccepted>(StatusCodes.Status202Accepted)
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden);
}
