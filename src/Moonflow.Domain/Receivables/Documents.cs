using System.Text;
using Moonflow.Domain.Common;

namespace Moonflow.Domain.Receivables;

/// <summary>
/// A file of the tenant's kept in the file store: where it is, the name it was sent with (for display), a safe name
/// derived from it (for archives and downloads), its checked content type, its size and SHA-256.
/// </summary>
public sealed class StoredDocument
{
    public const int MaxNameLength = 255;

    private StoredDocument()
    {
        FileKey = OriginalName = StoredName = ContentType = Sha256 = string.Empty;
    }

    public string FileKey { get; private set; }

    /// <summary>As the user's machine named it; shown, never used as a path.</summary>
    public string OriginalName { get; private set; }

    /// <summary>Safe everywhere: no folders, no characters that break on Windows or in a zip, at most 255 bytes of UTF-8.</summary>
    public string StoredName { get; private set; }

    /// <summary>Told by the content (see the documents' inspector), not by the name or the declared type.</summary>
    public string ContentType { get; private set; }

    public long SizeBytes { get; private set; }

    /// <summary>Lower-case hex.</summary>
    public string Sha256 { get; private set; }

    public static StoredDocument Create(string fileKey, string originalName, string contentType, long sizeBytes, string sha256)
    {
        var display = DocumentFileName.Display(originalName);
        if (sizeBytes <= 0)
        {
            throw new DomainValidationException("file", $"The file '{display}' is empty.");
        }

        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new DomainValidationException("file", "A stored document needs the SHA-256 of its bytes (64 lower-case hex digits).");
        }

        return new StoredDocument
        {
            FileKey = Guard.Required(fileKey, nameof(fileKey), 500),
            OriginalName = display,
            StoredName = DocumentFileName.Sanitize(display),
            ContentType = Guard.Required(contentType, nameof(contentType), 200),
            SizeBytes = sizeBytes,
            Sha256 = sha256,
        };
    }
}

/// <summary>
/// How a document's name is made safe. The stored name keeps letters (accents included), digits, spaces, '.', '-' and
/// '_'; anything else (path separators, ':', '*', control characters…) becomes '_'; leading dots and trailing dots or
/// spaces go, so no name is hidden, climbs a folder or ends in a way Windows refuses; Windows' reserved device names get a
/// '_' in front; the result fits 255 bytes of UTF-8 with its extension kept.
/// </summary>
public static class DocumentFileName
{
    private const string Fallback = "documento";

    private static readonly HashSet<string> ReservedOnWindows = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>The name to show: the last part of what was sent (a browser may send a whole path), trimmed, without control characters.</summary>
    public static string Display(string? sent)
    {
        var name = (sent ?? string.Empty).Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        name = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (name.Length == 0)
        {
            return Fallback;
        }

        if (name.Length <= StoredDocument.MaxNameLength)
        {
            return name;
        }

        // Too long to show whole: the start of the name and its extension say most about it.
        var extension = ExtensionOf(name);
        extension = extension.Length <= 16 ? extension : string.Empty;
        var stem = name[..(StoredDocument.MaxNameLength - extension.Length)];
        return (char.IsHighSurrogate(stem[^1]) ? stem[..^1] : stem) + extension;
    }

    public static string Sanitize(string? sent)
    {
        var display = Display(sent).Normalize(NormalizationForm.FormC);
        var safe = new StringBuilder(display.Length);
        foreach (var c in display)
        {
            safe.Append(char.IsLetterOrDigit(c) || c is ' ' or '.' or '-' or '_' ? c : '_');
        }

        var name = safe.ToString().TrimStart('.', ' ').TrimEnd('.', ' ');
        while (name.Contains("..", StringComparison.Ordinal))
        {
            name = name.Replace("..", ".", StringComparison.Ordinal);
        }

        if (name.Trim('_').Length == 0)
        {
            name = Fallback + ExtensionOf(name);
        }

        var stem = name.Split('.')[0];
        if (ReservedOnWindows.Contains(stem))
        {
            name = "_" + name;
        }

        return FitBytes(name, StoredDocument.MaxNameLength);
    }

    /// <summary>Shortens the stem until the name fits <paramref name="maxBytes"/> bytes of UTF-8, keeping a short extension.</summary>
    public static string FitBytes(string name, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(name) <= maxBytes)
        {
            return name;
        }

        var extension = ExtensionOf(name);
        if (extension.Length > 16)
        {
            extension = string.Empty;
        }

        var stem = name[..(name.Length - extension.Length)];
        while (stem.Length > 1 && Encoding.UTF8.GetByteCount(stem) + Encoding.UTF8.GetByteCount(extension) > maxBytes)
        {
            stem = stem[..^1];
            if (char.IsHighSurrogate(stem[^1]))
            {
                stem = stem[..^1];
            }
        }

        return stem + extension;
    }

    public static string ExtensionOf(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot > 0 ? name[dot..] : string.Empty;
    }
}

/// <summary>The electronic invoice issued for a payment order: its number, the signed XML and its printable PDF.</summary>
public sealed class IssuedInvoice : AggregateRoot, ITenantOwned
{
    public const string XmlContentType = "application/xml";
    public const string PdfContentType = "application/pdf";

    private IssuedInvoice()
    {
        Number = string.Empty;
        Xml = Pdf = null!;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid PaymentOrderId { get; private set; }

    /// <summary>The invoice's own number (unique in the tenant); the payment order's number unless another was given.</summary>
    public string Number { get; private set; }

    public StoredDocument Xml { get; private set; }

    public StoredDocument Pdf { get; private set; }

    public Guid CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static IssuedInvoice Issue(
        PaymentOrder order, string? number, StoredDocument xml, StoredDocument pdf, Guid userId, DateTimeOffset now)
    {
        CheckDocuments(xml, pdf);
        return new IssuedInvoice
        {
            Id = Guid.CreateVersion7(now),
            TenantId = order.TenantId,
            PaymentOrderId = order.Id,
            Number = InvoiceNumber(number, order),
            Xml = xml,
            Pdf = pdf,
            CreatedBy = userId,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>A corrected invoice replaces the files (and the number, if given); returns the files no longer used.</summary>
    public IReadOnlyList<StoredDocument> Replace(PaymentOrder order, string? number, StoredDocument xml, StoredDocument pdf, DateTimeOffset now)
    {
        CheckDocuments(xml, pdf);
        var replaced = new[] { Xml, Pdf };
        Number = number is null ? Number : InvoiceNumber(number, order);
        Xml = xml;
        Pdf = pdf;
        UpdatedAt = now;
        return replaced;
    }

    private static string InvoiceNumber(string? number, PaymentOrder order) =>
        Guard.Optional(number, "number", 40) ?? order.Number;

    private static void CheckDocuments(StoredDocument xml, StoredDocument pdf)
    {
        if (xml.ContentType != XmlContentType)
        {
            throw new DomainValidationException("xml", "The invoice's 'xml' must be its XML document.");
        }

        if (pdf.ContentType != PdfContentType)
        {
            throw new DomainValidationException("pdf", "The invoice's 'pdf' must be a PDF document.");
        }
    }
}

/// <summary>An electronic invoice a supplier sent the tenant (an expense), kept as its XML.</summary>
public sealed class ReceivedInvoice : AggregateRoot, ITenantOwned
{
    private ReceivedInvoice()
    {
        Supplier = Number = string.Empty;
        Xml = null!;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    /// <summary>The supplier's name or tax id, as given (trimmed); with the number, unique in the tenant.</summary>
    public string Supplier { get; private set; }

    public string Number { get; private set; }

    public DateOnly IssueDate { get; private set; }

    public decimal Amount { get; private set; }

    public StoredDocument Xml { get; private set; }

    public Guid CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static ReceivedInvoice Register(
        Guid tenantId, string supplier, string number, DateOnly issueDate, decimal amount, StoredDocument xml, Guid userId, DateTimeOffset now)
    {
        if (amount <= 0)
        {
            throw new DomainValidationException(nameof(amount), "'amount' must be greater than zero.");
        }

        if (xml.ContentType != IssuedInvoice.XmlContentType)
        {
            throw new DomainValidationException("xml", "A received invoice is kept as its XML document.");
        }

        return new ReceivedInvoice
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            Supplier = Guard.Required(supplier, nameof(supplier), 200),
            Number = Guard.Required(number, nameof(number), 40),
            IssueDate = issueDate,
            Amount = decimal.Round(amount, 2),
            Xml = xml,
            CreatedBy = userId,
            CreatedAt = now,
        };
    }
}

/// <summary>A document kept on a client's file (a signed agreement, an ID scan, a payment receipt…).</summary>
public sealed class ClientAttachment : AggregateRoot, ITenantOwned
{
    private ClientAttachment()
    {
        File = null!;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid ClientId { get; private set; }

    public StoredDocument File { get; private set; }

    public Guid CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static ClientAttachment Attach(Client client, StoredDocument file, Guid userId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        TenantId = client.TenantId,
        ClientId = client.Id,
        File = file,
        CreatedBy = userId,
        CreatedAt = now,
    };
}
