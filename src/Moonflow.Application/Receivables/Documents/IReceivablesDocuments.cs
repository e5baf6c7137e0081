using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Documents;

/// <summary>
/// Receivables' published read port over the documents it keeps, for modules that carry them elsewhere (the tenant's
/// backup): each stream reads committed rows on a connection of its own, one row at a time as the database sends them,
/// so memory does not grow with the tenant. The files themselves are read through <c>IFileStorage</c> by their
/// <see cref="DocumentFile.FileKey"/>; the SHA-256 and size are those computed when the file was received.
/// </summary>
public interface IReceivablesDocuments
{
    /// <summary>How many documents (files) each set holds and their bytes, e.g. for a progress total before streaming them.</summary>
    Task<DocumentTotals> CountAsync(Guid tenantId, CancellationToken cancellationToken);

    /// <summary>Issued electronic invoices with their payment order and client, by invoice number.</summary>
    IAsyncEnumerable<IssuedInvoiceFiles> IssuedInvoicesAsync(Guid tenantId, CancellationToken cancellationToken);

    /// <summary>Received invoices (expenses), by supplier then number.</summary>
    IAsyncEnumerable<ReceivedInvoiceFile> ReceivedInvoicesAsync(Guid tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// Client attachments grouped by client: every attachment of a client comes right after the previous one of the same
    /// client (ordered by client document type and number, then by when it was attached), so a reader can open one folder
    /// per client and close it when the client changes.
    /// </summary>
    IAsyncEnumerable<ClientAttachmentFile> ClientAttachmentsAsync(Guid tenantId, CancellationToken cancellationToken);
}

/// <summary>A kept file: its key in the file store, the name it was sent with, its safe name (no folders, safe characters, ≤ 255 bytes), type, size, SHA-256 (hex).</summary>
public sealed record DocumentFile(string FileKey, string OriginalName, string StoredName, string ContentType, long SizeBytes, string Sha256);

public sealed record IssuedInvoiceFiles(
    Guid InvoiceId, string Number, Guid PaymentOrderId, string PaymentOrderNumber, DateOnly IssueDate, DateOnly DueDate, decimal Amount, string Currency,
    Guid ClientId, DocumentType ClientDocumentType, string ClientDocumentNumber, string ClientName, DocumentFile Xml, DocumentFile Pdf, DateTimeOffset CreatedAt);

public sealed record ReceivedInvoiceFile(
    Guid InvoiceId, string Supplier, string Number, DateOnly IssueDate, decimal Amount, DocumentFile Xml, DateTimeOffset CreatedAt);

public sealed record ClientAttachmentFile(
    Guid ClientId, DocumentType ClientDocumentType, string ClientDocumentNumber, string ClientName, Guid AttachmentId, DocumentFile File, DateTimeOffset CreatedAt);

public sealed record DocumentTotals(long IssuedInvoices, long IssuedInvoiceBytes, long ReceivedInvoices, long ReceivedInvoiceBytes, long ClientAttachments, long ClientAttachmentBytes);
