using Moonflow.Application.Common.Trays;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Clients;

/// <summary>The clients tray, defined once for its list, bulk selections, count and downloads: by creation date.</summary>
public sealed class ClientsTray : TrayDefinition<Client, ClientFilter>
{
    public const string Name = "clients";

    private ClientsTray()
        : base(Name, new ClientFilter(), (c, range) => c.CreatedAt >= range.Start && c.CreatedAt < range.End, c => c.CreatedAt, c => c.Id)
    {
        // Document types show as written on the document (CC, NIT), not as the API's lower-case names.
        Column("documentType", "Tipo de documento", "Document type", c => c.DocumentType.ToString());
        Column("documentNumber", "Número de documento", "Document number", c => c.DocumentNumber);
        Column("name", "Nombre", "Name", c => c.Name, width: 32);
        Column("email", "Correo", "E-mail", c => c.Email, width: 28);
        Column("phone", "Teléfono", "Phone", c => c.Phone);
        Column("tags", "Etiquetas", "Tags", c => string.Join("; ", c.Tags), width: 24);
        Column("createdAt", "Fecha de creación", "Created at", c => c.CreatedAt);

        // The term is trimmed and lower-cased in .NET on every path; only the name is lower-cased by PostgreSQL.
        Filter(
            f => f.Search, "document number prefix or part of the name (any case)",
            (c, search) => c.DocumentNumber.StartsWith(search.Trim()) || c.Name.ToLower().Contains(search.Trim().ToLowerInvariant()));
        Filter(f => f.DocumentType, null, (c, type) => c.DocumentType == type);

        // Tags are stored as Client.NormalizeTags writes them.
        Filter(f => f.Tag, "a tag", (c, tag) => c.Tags.Contains(tag.Trim().ToLowerInvariant()));
    }

    public static ClientsTray Definition { get; } = new();
}

/// <summary>How clients are picked, in the list, in bulk actions and in downloads alike.</summary>
public sealed record ClientFilter(string? Search = null, DocumentType? DocumentType = null, string? Tag = null);
