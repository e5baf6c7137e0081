using System.Text.RegularExpressions;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Common;
using Moonflow.Domain.Crm;

namespace Moonflow.Application.Crm.Imports;

/// <summary>How a contact field's cell is read, and how the database compares and sets it.</summary>
public enum ContactFieldKind
{
    Text,

    /// <summary>CC, CE, NIT, …: letters, stored in capitals.</summary>
    DocumentType,

    /// <summary>As a key, one phone matched against any of the contact's; as a field, the whole list (separated by ;).</summary>
    Phones,

    /// <summary>Compared ignoring case.</summary>
    Email,

    /// <summary>Sí/No (Yes/No, true/false, 1/0).</summary>
    YesNo,

    /// <summary>A key of the contact's own detail fields (the jsonb <c>details</c>), compared and set as text.</summary>
    Detail,
}

/// <summary>
/// One field of a contact as the CRM imports name it (<c>documentNumber</c>, <c>phones</c>, <c>details.plan</c>): its column in a
/// format workbook (the same column the reader checks), how its cell is read, and whether it may identify a contact
/// (a key of an update or a details import) or be updated.
/// </summary>
public sealed record ContactField(string Key, ContactFieldKind Kind, ImportColumn Column, int MaxLength, bool CanBeKey, bool CanBeUpdated)
{
    /// <summary>The same field as a column every row must give (an update's chosen columns).</summary>
    public ImportColumn AsRequiredColumn() => Column with { Required = true };

    /// <summary>
    /// A cell as the database compares it — document types in capitals, e-mails in lower case, phones joined by ';' (as a
    /// key, the one phone), yes/no as true/false — or why it is not a value of this field.
    /// </summary>
    public (string? Value, string? Error) Read(string text, bool asKey)
    {
        var header = Column.HeaderEs;
        switch (Kind)
        {
            case ContactFieldKind.DocumentType:
                return text.Length <= MaxLength && text.All(char.IsAsciiLetter)
                    ? (text.ToUpperInvariant(), null)
                    : (null, $"'{text}' is not a document type; use letters such as {string.Join(", ", ContactFields.DocumentTypes)}.");
            case ContactFieldKind.Email:
                return text.Length <= MaxLength && text.Contains('@')
                    ? (text.ToLowerInvariant(), null)
                    : (null, $"'{text}' is not an e-mail address ('{header}').");
            case ContactFieldKind.YesNo:
                return ContactFields.ParseYesNo(text) is { } yes ? (yes ? "true" : "false", null) : (null, $"'{text}' is not Sí or No in '{header}'.");
            case ContactFieldKind.Phones:
                var phones = asKey ? [text] : ContactFields.SplitList(text);
                if (phones.Any(p => p.Length > MaxLength))
                {
                    return (null, $"A phone must be at most {MaxLength} characters ('{header}').");
                }

                return phones.Count > Contact.MaxPhones
                    ? (null, $"A contact can have at most {Contact.MaxPhones} phones.")
                    : (string.Join(';', phones.Distinct(StringComparer.Ordinal)), null);
            default:
                return text.Length <= MaxLength ? (text, null) : (null, $"'{header}' is longer than {MaxLength} characters.");
        }
    }
}

/// <summary>
/// The contact's fields, defined once for every CRM import and its format workbook: the contacts load takes the standard
/// ones, an update chooses keys and fields among them, and the tenant's own detail fields join as <c>details.{name}</c>.
/// </summary>
public static partial class ContactFields
{
    public const string DetailPrefix = "details.";

    /// <summary>The document types of the drop-downs; other letters are accepted too (a contact's type is free text).</summary>
    public static readonly IReadOnlyList<string> DocumentTypes = ["CC", "CE", "NIT", "PAS", "TI", "PEP"];

    public static readonly IReadOnlyList<string> YesNoValues = ["Sí", "No"];

    public static readonly ContactField DocumentType = new(
        "documentType", ContactFieldKind.DocumentType,
        new ImportColumn("documentType", "DocumentType", "Tipo de documento", true, "Document type of the contact.", "Tipo de documento del contacto.", DocumentTypes, "CC"),
        10, CanBeKey: true, CanBeUpdated: false);

    public static readonly ContactField DocumentNumber = new(
        "documentNumber", ContactFieldKind.Text,
        new ImportColumn("documentNumber", "DocumentNumber", "Número de documento", true, "Document number: with the type, it identifies the contact in the account.", "Número de documento: con el tipo, identifica al contacto en la cuenta.", null, "1020304050"),
        30, CanBeKey: true, CanBeUpdated: false);

    public static readonly ContactField Name = new(
        "name", ContactFieldKind.Text,
        new ImportColumn("name", "Name", "Nombre", true, "Full name of the contact.", "Nombre completo del contacto.", null, "Ana Gómez"),
        200, CanBeKey: true, CanBeUpdated: true);

    public static readonly ContactField Phones = new(
        "phones", ContactFieldKind.Phones,
        new ImportColumn("phones", "Phones", "Teléfonos", false, "Phone numbers to dial, several separated by ; (as a key: one of the contact's phones).", "Teléfonos a marcar, varios separados por ; (como clave: uno de los teléfonos del contacto).", null, "+57 3001234567; +57 6014567890"),
        30, CanBeKey: true, CanBeUpdated: true);

    public static readonly ContactField Email = new(
        "email", ContactFieldKind.Email,
        new ImportColumn("email", "Email", "Correo", false, "E-mail address of the contact.", "Correo electrónico del contacto.", null, "ana.gomez@example.com"),
        254, CanBeKey: true, CanBeUpdated: true);

    public static readonly ContactField DoNotCall = new(
        "doNotCall", ContactFieldKind.YesNo,
        new ImportColumn("doNotCall", "DoNotCall", "No llamar", false, "Yes: the contact is never dialled. Empty means No.", "Sí: nunca se marca al contacto. Vacío equivale a No.", YesNoValues, "No"),
        3, CanBeKey: false, CanBeUpdated: true);

    /// <summary>The standard fields, by key.</summary>
    public static readonly IReadOnlyList<ContactField> Standard = [DocumentType, DocumentNumber, Name, Phones, Email, DoNotCall];

    /// <summary>The columns of the contacts load, in format order; its tags column is the load's own.</summary>
    public static readonly ImportColumn Tags = new(
        "tags", "Tags", "Etiquetas", false, "Tags for the contact, several separated by ; (added to the ones it has).", "Etiquetas del contacto, varias separadas por ; (se suman a las que tenga).", null, "vip; mora30");

    /// <summary>
    /// A field by its key: a standard one (ignoring case), or <c>details.{name}</c> for a detail field (letters, digits and
    /// underscores, up to 50). Unknown keys are a 400 naming <paramref name="formField"/> and the keys it takes.
    /// </summary>
    public static ContactField Find(string key, string formField)
    {
        // "phone" reads better for a key (one of the contact's phones), "phones" for a field; both name the same field.
        if (string.Equals(key, "phone", StringComparison.OrdinalIgnoreCase))
        {
            return Phones;
        }

        if (Standard.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase)) is { } standard)
        {
            return standard;
        }

        if (key.StartsWith(DetailPrefix, StringComparison.OrdinalIgnoreCase) && DetailName().IsMatch(key[DetailPrefix.Length..]))
        {
            var name = key[DetailPrefix.Length..];
            return new ContactField(
                DetailPrefix + name, ContactFieldKind.Detail,
                new ImportColumn(DetailPrefix + name, name, name, false, $"The contact's own detail field '{name}'.", $"Campo de detalle propio del contacto '{name}'.", null, string.Empty),
                500, CanBeKey: true, CanBeUpdated: true);
        }

        throw new DomainValidationException(
            formField, $"'{key}' is not a contact field; use {string.Join(", ", Standard.Select(f => f.Key))} or {DetailPrefix}<name> for a detail field.");
    }

    /// <summary>
    /// A key of the details import (seed 004, "Detalles": the contact key the format was made with): <c>documentNumber</c>,
    /// <c>phone</c> (one of the contact's phones), <c>email</c> or <c>details.{name}</c>, a detail field of the contact.
    /// Anything else is a 400 naming <paramref name="formField"/> and these.
    /// </summary>
    public static ContactField FindDetailsKey(string key, string formField)
    {
        var refusal = $"'{key}' cannot match a contact in a details import; use documentNumber, phone, email or {DetailPrefix}<name> (a detail field of the contact).";
        ContactField field;
        try
        {
            field = Find(key, formField);
        }
        catch (DomainValidationException)
        {
            throw new DomainValidationException(formField, refusal);
        }

        return field.Kind is ContactFieldKind.Phones or ContactFieldKind.Email or ContactFieldKind.Detail || field.Key == DocumentNumber.Key
            ? field
            : throw new DomainValidationException(formField, refusal);
    }

    /// <summary>Reads a Sí/No cell; null when it is neither.</summary>
    public static bool? ParseYesNo(string? text) =>
        string.IsNullOrWhiteSpace(text) ? false : ImportText.Normalize(text) switch
        {
            "si" or "s" or "yes" or "y" or "true" or "1" or "verdadero" or "x" => true,
            "no" or "n" or "false" or "0" or "falso" => false,
            _ => null,
        };

    /// <summary>Phones of a cell: separated by ; (or a newline), blanks left out.</summary>
    public static IReadOnlyList<string> SplitList(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split([';', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex("^[A-Za-z0-9_]{1,50}$")]
    private static partial Regex DetailName();
}
