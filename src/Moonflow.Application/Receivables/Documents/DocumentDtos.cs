using System.Linq.Expressions;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Documents;

/// <summary>A kept file as the API shows it: the name it was sent with, its safe name, checked type, size and SHA-256.</summary>
public sealed record DocumentFileDto(string FileName, string StoredName, string ContentType, long SizeBytes, string Sha256);

public sealed record IssuedInvoiceDto(
    Guid Id, Guid PaymentOrderId, string Number, DocumentFileDto Xml, DocumentFileDto Pdf, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static readonly Expression<Func<IssuedInvoice, IssuedInvoiceDto>> Projection = i => new IssuedInvoiceDto(
        i.Id, i.PaymentOrderId, i.Number,
        new DocumentFileDto(i.Xml.OriginalName, i.Xml.StoredName, i.Xml.ContentType, i.Xml.SizeBytes, i.Xml.Sha256),
        new DocumentFileDto(i.Pdf.OriginalName, i.Pdf.StoredName, i.Pdf.ContentType, i.Pdf.SizeBytes, i.Pdf.Sha256),
        i.CreatedAt, i.UpdatedAt);
}

public sealed record ReceivedInvoiceDto(
    Guid Id, string Supplier, string Number, DateOnly IssueDate, decimal Amount, DocumentFileDto Xml, Guid CreatedBy, DateTimeOffset CreatedAt)
{
    public static readonly Expression<Func<ReceivedInvoice, ReceivedInvoiceDto>> Projection = i => new ReceivedInvoiceDto(
        i.Id, i.Supplier, i.Number, i.IssueDate, i.Amount,
        new DocumentFileDto(i.Xml.OriginalName, i.Xml.StoredName, i.Xml.ContentType, i.Xml.SizeBytes, i.Xml.Sha256),
        i.CreatedBy, i.CreatedAt);
}

public sealed record ClientAttachmentDto(
    Guid Id, Guid ClientId, string FileName, string StoredName, string ContentType, long SizeBytes, string Sha256, Guid CreatedBy, DateTimeOffset CreatedAt)
{
    public static readonly Expression<Func<ClientAttachment, ClientAttachmentDto>> Projection = a => new ClientAttachmentDto(
        a.Id, a.ClientId, a.File.OriginalName, a.File.StoredName, a.File.ContentType, a.File.SizeBytes, a.File.Sha256, a.CreatedBy, a.CreatedAt);
}

/// <summary>Which of an issued invoice's two files to download.</summary>
public enum InvoiceFile
{
    Xml,
    Pdf,
}
