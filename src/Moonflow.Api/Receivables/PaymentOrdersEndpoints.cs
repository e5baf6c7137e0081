using MediatR;
using Moonflow.Api.Infrastructure;
using Moonflow.Api.Infrastructure.OpenApi;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Receivables.PaymentOrders;
using Moonflow.Application.Receivables.PaymentOrders.CreatePaymentOrder;
using Moonflow.Application.Receivables.PaymentOrders.GetPaymentOrder;
using Moonflow.Application.Receivables.PaymentOrders.ListPaymentOrders;
using Moonflow.Domain.Receivables;

namespace Moonflow.Api.Receivables;

internal static class PaymentOrdersEndpoints
{
    public static void MapPaymentOrdersEndpoints(this RouteGroupBuilder api)
    {
        var orders = api.MapGroup("/payment-orders").WithTag("Payment orders", "Receivables: what clients owe, by order, with due dates and status.");

        orders.MapPost("/", async (CreatePaymentOrderCommand command, IMediator mediator, CancellationToken ct) =>
            {
                var order = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/v1/payment-orders/{order.Id}", order);
            })
            .WithName("CreatePaymentOrder")
            .WithSummary("Create a payment order for a client; the number is unique in the tenant. The status follows from balance and due date.")
            .Produces<PaymentOrderDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "payment_order_exists");

        orders.MapGet("/", (
                Guid? clientId, string[]? status, DateOnly? issuedFrom, DateOnly? issuedTo, DateOnly? dueFrom, DateOnly? dueTo, string? cursor, int? limit,
                IMediator mediator, CancellationToken ct) =>
                mediator.Send(
                    new ListPaymentOrdersQuery(
                        new PaymentOrderFilter(clientId, QueryEnum.ParseMany<PaymentOrderStatus>(status, "status"), issuedFrom, issuedTo, dueFrom, dueTo),
                        cursor, limit ?? Cursor.DefaultLimit),
                    ct))
            .WithName("ListPaymentOrders")
            .WithSummary("Payment orders, newest first; filter by client, status (several allowed) and issue/due date ranges (yyyy-MM-dd).")
            .Produces<Page<PaymentOrderDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        orders.MapGet("/{id:guid}", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetPaymentOrderQuery(id), ct))
            .WithName("GetPaymentOrder")
            .WithSummary("One payment order.")
            .Produces<PaymentOrderDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
