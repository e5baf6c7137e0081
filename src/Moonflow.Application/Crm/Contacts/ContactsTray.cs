using Moonflow.Application.Common.Trays;
using Moonflow.Domain.Crm;

namespace Moonflow.Application.Crm.Contacts;

/// <summary>The contacts tray, defined once for its list, bulk selections, count and downloads: by last contact date.</summary>
public sealed class ContactsTray : TrayDefinition<Contact, ContactFilter>
{
    public const string Name = "contacts";

    private ContactsTray()
        : base(Name, new ContactFilter(), (c, range) => c.LastContactAt >= range.Start && c.LastContactAt < range.End, c => c.LastContactAt!, c => c.Id)
    {
        Column("name", "Nombre", "Name", c => c.Name, width: 32);
        Column("documentType", "Tipo de documento", "Document type", c => c.DocumentType);
        Column("documentNumber", "Número de documento", "Document number", c => c.DocumentNumber);
        Column("phones", "Teléfonos", "Phones", c => string.Join("; ", c.Phones), width: 28);
        Column("email", "Correo", "E-mail", c => c.Email, width: 28);
        Column("tags", "Etiquetas", "Tags", c => string.Join("; ", c.Tags), width: 24);
        Column("attempts", "Intentos", "Attempts", c => c.Attempts, width: 10);
        Column("lastContactAt", "Fecha de último contacto", "Last contact at", c => c.LastContactAt);
        Column("createdAt", "Fecha de carga", "Loaded at", c => c.CreatedAt, shownByDefault: false);

        // The term is trimmed and lower-cased in .NET on every path; only the name is lower-cased by PostgreSQL.
        Filter(
            f => f.Search, "document number prefix or part of the name (any case)",
            (c, search) => c.DocumentNumber!.StartsWith(search.Trim()) || c.Name.ToLower().Contains(search.Trim().ToLowerInvariant()));
        Filter(f => f.BaseId, "a base's id: its contacts", (c, baseId) => c.BaseIds.Contains(baseId));
        Filter(f => f.LotId, "a lot's id: the contacts it loaded", (c, lotId) => c.LotId == lotId);
        Filter(f => f.SubcategoryId, "a subcategory's id: the contacts resolved with it", (c, subcategoryId) => c.SubcategoryId == subcategoryId);
        Filter(f => f.UserId, "a user's id: the contacts they managed last", (c, userId) => c.LastUserId == userId);
        Filter(f => f.AttemptsMin, "at least this many attempts", (c, min) => c.Attempts >= min);
        Filter(f => f.AttemptsMax, "at most this many attempts", (c, max) => c.Attempts <= max);
        Filter(f => f.LastContactFrom, "last contact at or after", (c, from) => c.LastContactAt >= from.ToUniversalTime(), inDownloads: false);
        Filter(f => f.LastContactTo, "last contact at or before", (c, to) => c.LastContactAt <= to.ToUniversalTime(), inDownloads: false);
        Filter(f => f.DoNotCall, "true: only do-not-call contacts; false: only the others", (c, doNotCall) => c.DoNotCall == doNotCall);

        // Tags are stored as Contact.Create writes them.
        Filter(f => f.Tag, "a tag", (c, tag) => c.Tags.Contains(tag.Trim().ToLowerInvariant()));
    }

    public static ContactsTray Definition { get; } = new();
}

/// <summary>How contacts are picked, in the list, in bulk actions and in downloads alike.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record ContactFilter(
    string? Search = null,
    Guid? BaseId = null,
    Guid? LotId = null,
    Guid? SubcategoryId = null,
    Guid? UserId = null,
    int? AttemptsMin = null,
    int? AttemptsMax = null,
    DateTimeOffset? LastContactFrom = null,
    DateTimeOffset? LastContactTo = null,
    bool? DoNotCall = null,
    string? Tag = null);
