using Moonflow.Domain.Common;

namespace Moonflow.Domain.Receivables;

/// <summary>A debtor of the tenant, identified by document type and number (unique per tenant).</summary>
public sealed class Client : AggregateRoot, ITenantOwned
{
    public const int MaxTags = 50;
    public const int MaxTagLength = 50;

    private List<string> _tags = [];

    private Client()
    {
        DocumentNumber = Name = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public DocumentType DocumentType { get; private set; }

    public string DocumentNumber { get; private set; }

    public string Name { get; private set; }

    public string? Email { get; private set; }

    public string? Phone { get; private set; }

    public IReadOnlyList<string> Tags => _tags;

    public DateTimeOffset CreatedAt { get; private set; }

    public static Client Create(
        Guid tenantId, DocumentType documentType, string documentNumber, string name, string? email, string? phone,
        IEnumerable<string>? tags, DateTimeOffset now)
    {
        var client = new Client
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            DocumentType = documentType,
            DocumentNumber = Guard.Required(documentNumber, nameof(documentNumber), 30),
            Name = Guard.Required(name, nameof(name), 200),
            Email = Guard.Optional(email, nameof(email), 254),
            Phone = Guard.Optional(phone, nameof(phone), 30),
            CreatedAt = now,
        };
        client._tags = NormalizeTags(tags ?? []);
        return client;
    }

    /// <summary>Tags are case-insensitive, trimmed and distinct; the same rule applies to bulk tagging.</summary>
    public static List<string> NormalizeTags(IEnumerable<string> tags)
    {
        var normalized = tags
            .Select(t => t?.Trim().ToLowerInvariant() ?? string.Empty)
            .Where(t => t.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (normalized.Any(t => t.Length > MaxTagLength))
        {
            throw new DomainValidationException("tags", $"A tag must be at most {MaxTagLength} characters.");
        }

        return normalized.Count > MaxTags
            ? throw new DomainValidationException("tags", $"A client can have at most {MaxTags} tags.")
            : normalized;
    }
}

public enum DocumentType
{
    /// <summary>Cédula de ciudadanía.</summary>
    CC,

    /// <summary>Cédula de extranjería.</summary>
    CE,

    /// <summary>Número de identificación tributaria.</summary>
    NIT,

    /// <summary>Pasaporte.</summary>
    PAS,

    /// <summary>Tarjeta de identidad.</summary>
    TI,

    /// <summary>Permiso especial de permanencia.</summary>
    PEP,
}
