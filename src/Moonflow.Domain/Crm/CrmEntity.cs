using System.Globalization;
using System.Text.Json;
using Moonflow.Domain.Common;

namespace Moonflow.Domain.Crm;

/// <summary>A record type the tenant defines (e.g. "Productos", "Deudas"), with typed fields; its records hold values of those types.</summary>
public sealed class CrmEntity : AggregateRoot, ITenantOwned
{
    public const int MaxFields = 100;

    private List<EntityField> _fields = [];

    private CrmEntity()
    {
        Name = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Name { get; private set; }

    /// <summary>Stored as jsonb: the fields in their order.</summary>
    public IReadOnlyList<EntityField> Fields => _fields;

    public DateTimeOffset CreatedAt { get; private set; }

    public static CrmEntity Define(Guid tenantId, string name, IReadOnlyList<EntityField> fields, DateTimeOffset now)
    {
        if (fields.Count is 0 or > MaxFields)
        {
            throw new DomainValidationException("fields", $"An entity has between 1 and {MaxFields} fields.");
        }

        var duplicate = fields.GroupBy(f => f.Key, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new DomainValidationException("fields", $"The field '{duplicate.Key}' is defined twice.");
        }

        foreach (var field in fields)
        {
            field.Check();
        }

        return new CrmEntity
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            Name = Guard.Required(name, nameof(name), 200),
            _fields = [.. fields],
            CreatedAt = now,
        };
    }

    /// <summary>A record of this entity: every value checked against its field's type, and stored typed (numbers as numbers, dates as yyyy-MM-dd).</summary>
    public EntityRecord NewRecord(Guid? contactId, IReadOnlyDictionary<string, string?> values, DateTimeOffset now)
    {
        var unknown = values.Keys.Where(k => !_fields.Any(f => string.Equals(f.Key, k, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
        {
            throw new DomainValidationException("values", $"Unknown fields for {Name}: {string.Join(", ", unknown)}.");
        }

        var typed = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in _fields)
        {
            var raw = values.FirstOrDefault(v => string.Equals(v.Key, field.Key, StringComparison.OrdinalIgnoreCase)).Value;
            typed[field.Key] = field.Parse(raw);
        }

        return EntityRecord.Create(TenantId, Id, contactId, JsonSerializer.Serialize(typed), now);
    }
}

/// <summary>One typed field of an entity; <see cref="Options"/> lists a list field's allowed values.</summary>
public sealed record EntityField(string Key, string Label, EntityFieldType Type, bool Required = false, IReadOnlyList<string>? Options = null)
{
    internal void Check()
    {
        if (string.IsNullOrWhiteSpace(Key) || Key.Length > 64 || !Key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new DomainValidationException("fields", $"'{Key}' is not a field key: use 1 to 64 letters, digits or '_'.");
        }

        if (string.IsNullOrWhiteSpace(Label) || Label.Length > 200)
        {
            throw new DomainValidationException("fields", $"The field '{Key}' needs a label of at most 200 characters.");
        }

        if (Type == EntityFieldType.List && (Options is null || Options.Count == 0))
        {
            throw new DomainValidationException("fields", $"The list field '{Key}' needs its options.");
        }
    }

    /// <summary>The value as stored: null when blank (refused when required), else of the field's type.</summary>
    public object? Parse(string? raw)
    {
        var text = raw?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return Required ? throw new DomainValidationException("values", $"'{Key}' is required.") : null;
        }

        return Type switch
        {
            EntityFieldType.Text => text.Length <= 4000 ? text : throw Invalid("at most 4000 characters"),
            EntityFieldType.Number => decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? number : throw Invalid("a number (e.g. 1234.56)"),
            EntityFieldType.Date => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : throw Invalid("a date as yyyy-MM-dd"),
            EntityFieldType.Boolean => text.ToLowerInvariant() switch
            {
                "true" or "sí" or "si" or "1" or "yes" => true,
                "false" or "no" or "0" => false,
                _ => throw Invalid("true/false (sí/no)"),
            },
            EntityFieldType.List => Options!.FirstOrDefault(o => string.Equals(o, text, StringComparison.OrdinalIgnoreCase))
                ?? throw Invalid($"one of: {string.Join(", ", Options!)}"),
            _ => throw Invalid("a known type"),
        };
    }

    private DomainValidationException Invalid(string expected) => new("values", $"'{Key}' must be {expected}.");
}

public enum EntityFieldType
{
    Text,
    Number,
    Date,
    Boolean,
    List,
}

/// <summary>One record of a tenant-defined entity, optionally about a contact; its values are a JSON object (jsonb).</summary>
public sealed class EntityRecord : ITenantOwned
{
    private EntityRecord()
    {
        Values = "{}";
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid EntityId { get; private set; }

    public Guid? ContactId { get; private set; }

    public string Values { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    internal static EntityRecord Create(Guid tenantId, Guid entityId, Guid? contactId, string values, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), TenantId = tenantId, EntityId = entityId, ContactId = contactId, Values = values, CreatedAt = now };
}
