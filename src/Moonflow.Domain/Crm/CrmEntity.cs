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

        var (json, error) = EntityValues.Read(_fields, field => values.FirstOrDefault(v => string.Equals(v.Key, field.Key, StringComparison.OrdinalIgnoreCase)).Value);
        return error is null ? EntityRecord.Create(TenantId, Id, contactId, json!, now) : throw new DomainValidationException("values", error);
    }
}

/// <summary>
/// A record's values read from text by its entity's fields, as they are stored (a JSON object of typed values): the one
/// reading of a record created one by one and of every imported row, so both refuse the same values with the same reason.
/// </summary>
public static class EntityValues
{
    /// <summary>The JSON of the typed values, or the first value's reason it cannot be stored (naming its field and the text).</summary>
    public static (string? Json, string? Error) Read(IReadOnlyList<EntityField> fields, Func<EntityField, string?> text)
    {
        var typed = new Dictionary<string, object?>(fields.Count, StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var (value, error) = field.Read(text(field));
            if (error is not null)
            {
                return (null, error);
            }

            typed[field.Key] = value;
        }

        return (JsonSerializer.Serialize(typed), null);
    }
}

/// <summary>One typed field of an entity; <see cref="Options"/> lists a list field's allowed values.</summary>
public sealed record EntityField(string Key, string Label, EntityFieldType Type, bool Required = false, IReadOnlyList<string>? Options = null)
{
    public const int MaxTextLength = 4000;

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

    /// <summary>
    /// The value as stored (null when blank), or why <paramref name="raw"/> cannot be: a sentence naming the field and the
    /// text, for the person who typed it (a required field left blank, a number that is not one, a list value not among the options).
    /// </summary>
    public (object? Value, string? Error) Read(string? raw)
    {
        var text = raw?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return Required ? (null, $"'{Label}' ({Key}) is required.") : (null, null);
        }

        switch (Type)
        {
            case EntityFieldType.Text:
                return text.Length <= MaxTextLength ? (text, null) : Invalid(text[..20] + "…", $"text of at most {MaxTextLength} characters");
            case EntityFieldType.Number:
                // No thousands separators: "1234,56" typed the Spanish way must not be read as 123456.
                return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                    ? (number, null)
                    : Invalid(text, "a number with a point for decimals (e.g. 1234.56)");
            case EntityFieldType.Date:
                // A workbook's date cell reads as yyyy-MM-dd, or with its time when it has one; midnight is the same day.
                var day = text.EndsWith("T00:00:00", StringComparison.Ordinal) ? text[..^9] : text;
                return DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? (date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null)
                    : Invalid(text, "a date as yyyy-MM-dd");
            case EntityFieldType.Boolean:
                return text.ToLowerInvariant() switch
                {
                    "true" or "sí" or "si" or "1" or "yes" => (true, null),
                    "false" or "no" or "0" => (false, null),
                    _ => Invalid(text, "true/false (sí/no)"),
                };
            case EntityFieldType.List:
                return Options!.FirstOrDefault(o => string.Equals(o, text, StringComparison.OrdinalIgnoreCase)) is { } option
                    ? (option, null)
                    : Invalid(text, $"one of: {string.Join(", ", Options!)}");
            default:
                return Invalid(text, "a known type");
        }
    }

    private (object? Value, string? Error) Invalid(string text, string expected) => (null, $"'{Label}' ({Key}) must be {expected}, not '{text}'.");
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
