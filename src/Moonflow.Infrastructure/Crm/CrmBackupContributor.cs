using System.Runtime.CompilerServices;
using System.Text.Json;
using Moonflow.Application.Common.Backups;
using Moonflow.Application.Common.Spreadsheets;
using Npgsql;

namespace Moonflow.Infrastructure.Crm;

/// <summary>
/// The contact center's data that no tray carries, as datasets of the backup under <c>crm/</c>: every contact with the ids
/// the other sheets refer to (the contacts tray lists only contacts already called, by their last contact), the call
/// history, conversations, bases, lots, categories with their subcategories, entities with their fields and records, and
/// the screens with their sub-screens and scripts. Plain SQL on the crm schema only, each sheet streamed from its own
/// reader as PostgreSQL sends the rows.
/// </summary>
internal sealed class CrmBackupContributor(NpgsqlDataSource dataSource, ISpreadsheetWriter workbooks) : IBackupContributor
{
    public const string Folder = "crm";

    /// <summary>The datasets in the order they are written; <c>@tenant</c> is the backup's tenant.</summary>
    public static readonly IReadOnlyList<CrmDataset> Datasets =
    [
        new(
            "contacts.xlsx", "contactos",
            """
            SELECT c.id, c.document_type, c.document_number, c.name, c.phones, c.email, c.tags, c.attempts, c.dialable, c.do_not_call,
                   c.last_contact_at, c.last_user_id, s.name, c.lot_id, c.base_ids, c.details::text, c.created_at
            FROM crm.contacts c LEFT JOIN crm.subcategories s ON s.id = c.subcategory_id
            WHERE c.tenant_id = @tenant ORDER BY c.created_at, c.id
            """,
            [Text("Id", 38), Text("Tipo de documento", 12), Text("Número de documento", 20), Text("Nombre", 32), Text("Teléfonos", 28), Text("Correo", 28),
             Text("Etiquetas", 24), Integer("Intentos"), Text("Marcable", 10), Text("No llamar", 10), Instant("Último contacto"), Text("Último usuario (id)", 38),
             Text("Subcategoría", 28), Text("Lote (id)", 38), Text("Bases (id)", 38), Text("Detalles", 60), Instant("Cargado")]),
        new(
            "calls.xlsx", "llamadas",
            """
            SELECT h.id, h.contact_id, c.document_number, c.name, h.at, h.duration_seconds, h.user_id, s.name, h.note
            FROM crm.call_history h LEFT JOIN crm.contacts c ON c.id = h.contact_id LEFT JOIN crm.subcategories s ON s.id = h.subcategory_id
            WHERE h.tenant_id = @tenant ORDER BY h.at, h.id
            """,
            [Text("Id", 38), Text("Contacto (id)", 38), Text("Número de documento", 20), Text("Contacto", 32), Instant("Fecha"), Integer("Duración (s)"),
             Text("Usuario (id)", 38), Text("Subcategoría", 28), Text("Nota", 60)]),
        new(
            "conversations.xlsx", "conversaciones",
            """
            SELECT v.id, v.external_id, v.channel, v.status, v.contact_id, c.name, s.name, v.opened_at, v.closed_at, v.closed_by
            FROM crm.conversations v LEFT JOIN crm.contacts c ON c.id = v.contact_id LEFT JOIN crm.subcategories s ON s.id = v.subcategory_id
            WHERE v.tenant_id = @tenant ORDER BY v.opened_at, v.id
            """,
            [Text("Id", 38), Text("Id en el canal", 24), Label("Canal"), Label("Estado"), Text("Contacto (id)", 38), Text("Contacto", 32), Text("Subcategoría", 28),
             Instant("Abierta"), Instant("Cerrada"), Text("Cerrada por (id)", 38)]),
        new(
            "bases.xlsx", "bases",
            "SELECT b.id, b.name, b.created_at, (SELECT count(*) FROM crm.contacts c WHERE c.tenant_id = b.tenant_id AND c.base_ids @> ARRAY[b.id]) FROM crm.bases b WHERE b.tenant_id = @tenant ORDER BY b.name, b.id",
            [Text("Id", 38), Text("Nombre", 32), Instant("Creada"), Integer("Contactos")]),
        new(
            "lots.xlsx", "lotes",
            "SELECT l.id, l.name, l.loaded_at, (SELECT count(*) FROM crm.contacts c WHERE c.lot_id = l.id) FROM crm.lots l WHERE l.tenant_id = @tenant ORDER BY l.loaded_at, l.id",
            [Text("Id", 38), Text("Nombre", 32), Instant("Cargado"), Integer("Contactos")]),
        new(
            "categories.xlsx", "categorías",
            """
            SELECT k.id, k.name, s.id, s.name
            FROM crm.categories k LEFT JOIN crm.subcategories s ON s.category_id = k.id
            WHERE k.tenant_id = @tenant ORDER BY k.name, k.id, s.name, s.id
            """,
            [Text("Categoría (id)", 38), Text("Categoría", 32), Text("Subcategoría (id)", 38), Text("Subcategoría", 32)]),
        new(
            "entities.xlsx", "entidades",
            "SELECT e.id, e.name, e.fields::text, e.created_at, (SELECT count(*) FROM crm.entity_records r WHERE r.entity_id = e.id) FROM crm.entities e WHERE e.tenant_id = @tenant ORDER BY e.name, e.id",
            [Text("Id", 38), Text("Nombre", 32), Text("Campos", 80), Instant("Creada"), Integer("Registros")]),
        new(
            "entity-records.xlsx", "registros",
            """
            SELECT r.id, e.name, r.contact_id, c.document_number, r."values"::text, r.created_at
            FROM crm.entity_records r JOIN crm.entities e ON e.id = r.entity_id LEFT JOIN crm.contacts c ON c.id = r.contact_id
            WHERE r.tenant_id = @tenant ORDER BY e.name, r.entity_id, r.created_at, r.id
            """,
            [Text("Id", 38), Text("Entidad", 32), Text("Contacto (id)", 38), Text("Número de documento", 20), Text("Valores", 80), Instant("Creado")]),
        new(
            "screens.xlsx", "pantallas",
            """
            SELECT p.id, p.name, u.position, u.name, t.position, t.name, t.text
            FROM crm.screens p LEFT JOIN crm.sub_screens u ON u.screen_id = p.id LEFT JOIN crm.scripts t ON t.sub_screen_id = u.id
            WHERE p.tenant_id = @tenant ORDER BY p.name, p.id, u.position, u.id, t.position, t.id
            """,
            [Text("Pantalla (id)", 38), Text("Pantalla", 32), Integer("Posición de la subpantalla"), Text("Subpantalla", 32), Integer("Posición del guion"),
             Text("Guion", 32), Text("Texto", 80)]),
    ];

    public int Order => 15;

    public Task<long> EstimateEntriesAsync(BackupScope scope, CancellationToken cancellationToken) => Task.FromResult((long)Datasets.Count);

    public async Task ContributeAsync(BackupScope scope, IBackupArchive archive, CancellationToken cancellationToken)
    {
        foreach (var dataset in Datasets)
        {
            await archive.AddDatasetAsync(
                Folder,
                dataset.FileName,
                async (stream, ct) =>
                {
                    await using var connection = await dataSource.OpenConnectionAsync(ct);
                    await using var command = new NpgsqlCommand(dataset.Sql, connection) { CommandTimeout = 0 };
                    command.Parameters.AddWithValue("tenant", scope.TenantId);
                    return await workbooks.WriteAsync(stream, SpreadsheetFormat.Xlsx, dataset.Sheet, dataset.Columns.Select(c => c.Sheet).ToList(), RowsAsync(command, dataset, scope.Zone, ct), ct);
                },
                cancellationToken);
        }
    }

    private static async IAsyncEnumerable<object?[]> RowsAsync(NpgsqlCommand command, CrmDataset dataset, TimeZoneInfo zone, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[dataset.Columns.Count];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Cell(reader.GetValue(i), dataset.Columns[i], zone);
            }

            yield return row;
        }
    }

    /// <summary>A database value as the sheet shows it: instants in the tenant's zone, lists joined, enums by their API name.</summary>
    private static object? Cell(object value, CrmColumn column, TimeZoneInfo zone) => value switch
    {
        DateTime utc => TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), zone),
        DateTimeOffset instant => TimeZoneInfo.ConvertTime(instant, zone),
        Guid id => id.ToString(),
        Guid[] ids => string.Join("; ", ids),
        string[] items => string.Join("; ", items),
        bool flag => flag ? "Sí" : "No",
        int number => (long)number,
        string text when column.IsEnum => JsonNamingPolicy.SnakeCaseLower.ConvertName(text),
        _ => value,
    };

    private static CrmColumn Text(string header, double width = 18) => new(new SpreadsheetColumn(header, CellKind.Text, width));

    private static CrmColumn Label(string header) => new(new SpreadsheetColumn(header, CellKind.Text, 16), IsEnum: true);

    private static CrmColumn Integer(string header) => new(new SpreadsheetColumn(header, CellKind.Integer, 12));

    private static CrmColumn Instant(string header) => new(new SpreadsheetColumn(header, CellKind.DateTime, 20));
}

/// <param name="Sql">Its rows, one value per column in order.</param>
internal sealed record CrmDataset(string FileName, string Sheet, string Sql, IReadOnlyList<CrmColumn> Columns);

/// <param name="IsEnum">Stored by the enum's .NET name; shown by its API name.</param>
internal sealed record CrmColumn(SpreadsheetColumn Sheet, bool IsEnum = false);
