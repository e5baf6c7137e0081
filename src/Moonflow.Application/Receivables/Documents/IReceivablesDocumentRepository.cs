using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Documents;

/// <summary>The documents Receivables keeps, loaded for change (in the caller's tenant).</summary>
public interface IReceivablesDocumentRepository
{
    Task<IssuedInvoice?> GetIssuedInvoiceAsync(Guid paymentOrderId, CancellationToken cancellationToken);

    /// <summary>Whether another payment order's invoice already has this number.</summary>
    Task<bool> IssuedInvoiceNumberTakenAsync(string number, Guid paymentOrderId, CancellationToken cancellationToken);

    Task<bool> ReceivedInvoiceExistsAsync(string supplier, string number, CancellationToken cancellationToken);

    Task<ClientAttachment?> GetClientAttachmentAsync(Guid clientId, Guid attachmentId, CancellationToken cancellationToken);

    void Add(IssuedInvoice invoice);

    void Add(ReceivedInvoice invoice);

    void Add(ClientAttachment attachment);

    void Remove(ClientAttachment attachment);
}
