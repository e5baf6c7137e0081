using Moonflow.Application.Common.Trays;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.PaymentOrders;

/// <summary>The payment orders tray, defined once for its list, its count and its downloads: by issue date, with each order's client.</summary>
public sealed class PaymentOrdersTray : TrayDefinition<PaymentOrder, PaymentOrderFilter>
{
    public const string Name = "payment-orders";

    private static readonly TrayJoin OrderClient = Join<Client>(o => o.ClientId);

    private PaymentOrdersTray()
        : base(Name, new PaymentOrderFilter(), (o, range) => o.IssueDate >= range.From && o.IssueDate <= range.To, o => o.IssueDate, o => o.Id)
    {
        Column("number", "Número", "Number", o => o.Number);
        Column<Client>("clientDocument", "Documento del cliente", "Client document", OrderClient, c => c.DocumentType.ToString() + " " + c.DocumentNumber, width: 22);
        Column<Client>("clientName", "Cliente", "Client", OrderClient, c => c.Name, width: 32);
        Column("issueDate", "Fecha de emisión", "Issue date", o => o.IssueDate);
        Column("dueDate", "Fecha de vencimiento", "Due date", o => o.DueDate);
        Column("amount", "Valor", "Amount", o => o.Amount);
        Column("currency", "Moneda", "Currency", o => o.Currency, width: 10);
        Column("balance", "Saldo", "Balance", o => o.Balance);
        Column("status", "Estado", "Status", o => o.Status);

        Filter(f => f.ClientId, "one client", (o, client) => o.ClientId == client);
        Filter(f => f.Statuses, null, (o, statuses) => statuses.Contains(o.Status));

        // A download's range is its own; these bounds on the issue date are the list's.
        Filter(f => f.IssuedFrom, "issued on or after (yyyy-MM-dd)", (o, day) => o.IssueDate >= day, inDownloads: false);
        Filter(f => f.IssuedTo, "issued on or before (yyyy-MM-dd)", (o, day) => o.IssueDate <= day, inDownloads: false);
        Filter(f => f.DueFrom, "due on or after (yyyy-MM-dd)", (o, day) => o.DueDate >= day);
        Filter(f => f.DueTo, "due on or before (yyyy-MM-dd)", (o, day) => o.DueDate <= day);
    }

    public static PaymentOrdersTray Definition { get; } = new();
}

public sealed record PaymentOrderFilter(
    Guid? ClientId = null,
    IReadOnlyList<PaymentOrderStatus>? Statuses = null,
    DateOnly? IssuedFrom = null,
    DateOnly? IssuedTo = null,
    DateOnly? DueFrom = null,
    DateOnly? DueTo = null);
