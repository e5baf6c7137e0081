using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Receivables.Documents;
using Moonflow.Domain.Receivables;
using Moonflow.Infrastructure.Persistence;

namespace Moonflow.Infrastructure.Receivables;

internal sealed class ReceivablesDocumentRepository(MoonflowDbContext db) : IReceivablesDocumentRepository
{
    public Task<IssuedInvoice?> GetIssuedInvoiceAsync(Guid paymentOrderId, CancellationToken cancellationToken) =>
        db.Set<IssuedInvoice>().FirstOrDefaultAsync(i => i.PaymentOrderId == paymentOrderId, cancellationToken);

    public Task<bool> IssuedInvoiceNumberTakenAsync(string number, Guid paymentOrderId, CancellationToken cancellationToken) =>
        db.Set<IssuedInvoice>().AnyAsync(i => i.Number == number && i.PaymentOrderId != paymentOrderId, cancellationToken);

    public Task<bool> ReceivedInvoiceExistsAsync(string supplier, string number, CancellationToken cancellationToken) =>
        db.Set<ReceivedInvoice>().AnyAsync(i => i.Supplier == supplier && i.Number == number, cancellationToken);

    public Task<ClientAttachment?> GetClientAttachmentAsync(Guid clientId, Guid attachmentId, CancellationToken cancellationToken) =>
        db.Set<ClientAttachment>().FirstOrDefaultAsync(a => a.Id == attachmentId && a.ClientId == clientId, cancellationToken);

    public void Add(IssuedInvoice invoice) => db.Add(invoice);

    public void Add(ReceivedInvoice invoice) => db.Add(invoice);

    public void Add(ClientAttachment attachment) => db.Add(attachment);

    public void Remove(ClientAttachment attachment) => db.Remove(attachment);
}
