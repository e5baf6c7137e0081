using System.Text.Json;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Common.Trays;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Clients.ExportClients;

/// <summary>The clients tray as a download, by creation date.</summary>
public sealed class ClientsTraySource(IReadStore store) : ITraySource
{
    public static readonly IReadOnlyList<TrayColumn> AllColumns =
    [
        new("documentType", "Tipo de documento", "Document type", true),
        new("documentNumber", "Número de documento", "Document number", true),
        new("name", "Nombre", "Name", true, Width: 32),
        new("email", "Correo", "E-mail", true, Width: 28),
        new("phone", "Teléfono", "Phone", true),
        new("tags", "Etiquetas", "Tags", true, Width: 24),
        new("createdAt", "Fecha de creación", "Created at", true, CellKind.DateTime),
    ];

    public string Tray => "clients";

    public IReadOnlyList<TrayColumn> Columns => AllColumns;

    public IReadOnlyDictionary<string, string> Filters { get; } = new Dictionary<string, string>
    {
        ["search"] = "document number prefix or part of the name",
        ["documentType"] = "cc, ce, nit, pas, ti, pep",
        ["tag"] = "a tag",
    };

    public object BindFilters(JsonElement? filters) => TrayFilters.Bind(filters, new ClientFilter());

    public Task<long> CountAsync(TrayRange range, object filters, CancellationToken cancellationToken) =>
        store.CountAsync(Query(range, filters), cancellationToken);

    private IQueryable<Client> Query(TrayRange range, object filters)
    {
        var (start, end) = (range.Start, range.End);
        return ((ClientFilter)filters).Apply(store.Query<Client>()).Where(c => c.CreatedAt >= start && c.CreatedAt < end);
    }
}
