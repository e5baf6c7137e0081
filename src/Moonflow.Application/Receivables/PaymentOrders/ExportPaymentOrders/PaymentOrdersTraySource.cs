using System.Runtime.CompilerServices;
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

    public async IAsyncEnumerable<object?[]> ReadAsync(
        TrayRange range, object filters, IReadOnlyList<string> columns, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows =
            from order in Query(range, filters)
            join client in store.Query<Client>() on order.ClientId equals client.Id
            orderby order.IssueDate, order.Id
            select new Row(order.Number, client.DocumentType, client.DocumentNumber, client.Name, order.IssueDate, order.DueDate, order.Amount, order.Currency, order.Balance, order.Status);
        await foreach (var row in store.StreamAsync(rows, cancellationToken))
        {
            yield return columns.Select(column => TrayFilters.Cell(row.ValueOf(column), range.Zone)).ToArray();
        }
    }

    private IQueryable<PaymentOrder> Query(TrayRange range, object filters)
    {
        var (from, to) = (range.From, range.To);
        return ((PaymentOrderFilter)filters).Apply(store.Query<PaymentOrder>()).Where(o => o.IssueDate >= from && o.IssueDate <= to);
    }

    private sealed record Row(
        string Number, DocumentType DocumentType, string DocumentNumber, string ClientName, DateOnly IssueDate, DateOnly DueDate, decimal Amount,
        string Currency, decimal Balance, PaymentOrderStatus Status)
    {
        public object? ValueOf(string column) => column switch
        {
            "number" => Number,
            "clientDocument" => $"{DocumentType} {DocumentNumber}",
            "clientName" => ClientName,
            "issueDate" => IssueDate,
            "dueDate" => DueDate,
            "amount" => Amount,
            "currency" => Currency,
            "balance" => Balance,
            "status" => Status,
            _ => throw new ArgumentOutOfRangeException(nameof(column), column, "Unknown payment orders column."),
        };
    }
}
