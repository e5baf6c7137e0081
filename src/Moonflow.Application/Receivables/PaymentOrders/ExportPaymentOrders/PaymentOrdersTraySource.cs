using System.Text.Json;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Common.Trays;
using Moonflow.Application.Receivables.PaymentOrders.ListPaymentOrders;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.PaymentOrders.ExportPaymentOrders;

/// <summary>The payment orders tray as a download, by issue date, with each order's client.</summary>
public sealed class PaymentOrdersTraySource(IReadStore store) : ITraySource
{
    public static readonly IReadOnlyList<TrayColumn> AllColumns =
    [
        new("number", "Número", "Number", true),
        new("clientDocument", "Documento del cliente", "Client document", true, Width: 22),
        new("clientName", "Cliente", "Client", true, Width: 32),
        new("issueDate", "Fecha de emisión", "Issue date", true, CellKind.Date),
        new("dueDate", "Fecha de vencimiento", "Due date", true, CellKind.Date),
        new("amount", "Valor", "Amount", true, CellKind.Money),
        new("currency", "Moneda", "Currency", true, Width: 10),
        new("balance", "Saldo", "Balance", true, CellKind.Money),
        new("status", "Estado", "Status", true),
    ];

    public string Tray => "payment-orders";

    public IReadOnlyList<TrayColumn> Columns => AllColumns;

    public IReadOnlyDictionary<string, string> Filters { get; } = new Dictionary<string, string>
    {
        ["clientId"] = "one client",
        ["statuses"] = "pending, partially_paid, paid, overdue, cancelled (array)",
        ["dueFrom"] = "due on or after (yyyy-MM-dd)",
        ["dueTo"] = "due on or before (yyyy-MM-dd)",
    };

    public object BindFilters(JsonElement? filters) => TrayFilters.Bind(filters, new PaymentOrderFilter()) with { IssuedFrom = null, IssuedTo = null };

    public Task<long> CountAsync(TrayRange range, object filters, CancellationToken cancellationToken) =>
        store.CountAsync(Query(range, filters), cancellationToken);

    private IQueryable<PaymentOrder> Query(TrayRange range, object filters)
    {
        var (from, to) = (range.From, range.To);
        return ((PaymentOrderFilter)filters).Apply(store.Query<PaymentOrder>()).Where(o => o.IssueDate >= from && o.IssueDate <= to);
    }
}
