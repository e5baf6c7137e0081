using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.PaymentOrders.GetPaymentOrder;

[RequiresPermission(Permissions.PaymentOrdersRead)]
public sealed record GetPaymentOrderQuery(Guid PaymentOrderId) : IRequest<PaymentOrderDto>;

public sealed class GetPaymentOrderQueryHandler(IReadStore store) : IRequestHandler<GetPaymentOrderQuery, PaymentOrderDto>
{
    public async Task<PaymentOrderDto> Handle(GetPaymentOrderQuery request, CancellationToken cancellationToken) =>
        await store.FirstOrDefaultAsync(
            store.Query<PaymentOrder>().Where(o => o.Id == request.PaymentOrderId).Select(PaymentOrderDto.Projection), cancellationToken)
        ?? throw new NotFoundException("Payment order", request.PaymentOrderId);
}
