using Moonflow.Application.Common.Trays;
using Moonflow.Application.Receivables.PaymentOrders.ListPaymentOrders;
using Moonflow.Domain.Receivables;
using Moonflow.Infrastructure.Exports;

namespace Moonflow.Infrastructure.Receivables;

/// <summary>The payment orders tray's downloads in SQL: the rows <c>PaymentOrdersTraySource</c> counts, by issue date, with each order's client.</summary>
internal sealed class PaymentOrdersTraySql : ITraySql
{
    public string Tray => "payment-orders";

    public TraySqlColumn Column(string key, string zone) => key switch
    {
        "number" => new("o.number"),
        "clientDocument" => new("c.document_type || ' ' || c.document_number"),
        "clientName" => new("c.name"),
        "issueDate" => new("o.issue_date"),
        "dueDate" => new("o.due_date"),
        "amount" => new("o.amount"),
        "currency" => new("o.currency"),
        "balance" => new("o.balance"),
        "status" => TraySqlColumn.Enum<PaymentOrderStatus>("o.status"),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown payment orders column."),
    };

    public string FromWhereOrderBy(TrayFile file, SqlValues values)
    {
        var filter = (PaymentOrderFilter)file.Filters;
        var where = new SqlConditions(values)
            .Add(file.TenantId, v => $"o.tenant_id = {v}")
            .Add(file.Range.From, v => $"o.issue_date >= {v}")
            .Add(file.Range.To, v => $"o.issue_date <= {v}")
            .AddIf(filter.ClientId, v => $"o.client_id = {v}")
            .AddIf(filter.Statuses?.Select(s => s.ToString()).ToArray(), v => $"o.status = ANY({v})")
            .AddIf(filter.IssuedFrom, v => $"o.issue_date >= {v}")
            .AddIf(filter.IssuedTo, v => $"o.issue_date <= {v}")
            .AddIf(filter.DueFrom, v => $"o.due_date >= {v}")
            .AddIf(filter.DueTo, v => $"o.due_date <= {v}");
        return $"FROM receivables.payment_orders o JOIN receivables.clients c ON c.id = o.client_id WHERE {where} ORDER BY o.issue_date, o.id";
    }
}
