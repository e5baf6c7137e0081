using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Common;

namespace Moonflow.Application.Crm.Imports.UpdateContacts;

/// <summary>
/// The key fields that together identify a contact and the fields an update changes (seed 004, "Actualización": the same
/// choices make the format workbook and read the upload). Kept in the process's parameters by key.
/// </summary>
public sealed record ContactsUpdateSettings(IReadOnlyList<string> Keys, IReadOnlyList<string> Fields)
{
    public const string KeysField = "keys";
    public const string FieldsField = "fields";
    public const int MaxKeys = 5;
    public const int MaxFields = 30;

    /// <summary>The chosen keys and fields, checked: known, usable as a key or an update, none twice, none both.</summary>
    public static ContactsUpdateSettings Choose(IReadOnlyList<string> keys, IReadOnlyList<string> fields)
    {
        var keyFields = Resolve(keys, KeysField, MaxKeys, f => f.CanBeKey, "cannot identify a contact");
        var updated = Resolve(fields, FieldsField, MaxFields, f => f.CanBeUpdated, "cannot be updated (it identifies the contact)");
        var both = keyFields.Select(k => k.Key).Intersect(updated.Select(f => f.Key), StringComparer.OrdinalIgnoreCase).FirstOrDefault();
        if (both is not null)
        {
            throw new DomainValidationException(FieldsField, $"'{both}' is a key; a field is either a key or a field to update.");
        }

        return new ContactsUpdateSettings(keyFields.Select(k => k.Key).ToList(), updated.Select(f => f.Key).ToList());
    }

    public IReadOnlyList<ContactField> KeyFields() => Keys.Select(k => ContactFields.Find(k, KeysField)).ToList();

    public IReadOnlyList<ContactField> UpdatedFields() => Fields.Select(f => ContactFields.Find(f, FieldsField)).ToList();

    /// <summary>The format's columns: the keys, then the fields, every one a column each row has (an empty field cell leaves it as it is).</summary>
    public IReadOnlyList<ImportColumn> Columns() =>
        KeyFields().Concat(UpdatedFields()).Select(f => f.AsRequiredColumn()).ToList();

    private static List<ContactField> Resolve(IReadOnlyList<string> names, string formField, int max, Func<ContactField, bool> allowed, string refusal)
    {
        if (names.Count == 0)
        {
            throw new DomainValidationException(formField, $"Choose at least one: '{formField}' is a comma-separated list such as documentNumber,phone.");
        }

        if (names.Count > max)
        {
            throw new DomainValidationException(formField, $"Choose at most {max} in '{formField}'.");
        }

        var resolved = new List<ContactField>();
        foreach (var name in names)
        {
            var field = ContactFields.Find(name, formField);
            if (!allowed(field))
            {
                throw new DomainValidationException(formField, $"'{field.Key}' {refusal}.");
            }

            if (resolved.Any(r => string.Equals(r.Key, field.Key, StringComparison.OrdinalIgnoreCase)))
            {
                throw new DomainValidationException(formField, $"'{field.Key}' is chosen twice.");
            }

            resolved.Add(field);
        }

        return resolved;
    }
}
