using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Crm.Imports;
using Moonflow.Application.Crm.Imports.ImportContactDetails;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Infrastructure.Persistence;
using Moonflow.Infrastructure.Processes.Uploads;
using Npgsql;
using NpgsqlTypes;

namespace Moonflow.Infrastructure.Crm.Imports;

/// <summary>
/// Attaches a chunk of details to a lot's contacts on the runner's connection and transaction: the rows are COPYed (binary)
/// into a temporary staging table, then one statement matches each row's key against the lot's contacts (as the update by
/// keys matches, <see cref="ContactUpdateRegistrar.KeyMatches"/>), creates the contact's record of the entity or replaces
/// the values of the one it has, and writes every row's item: created, updated (with the previous values), skipped (the
/// same values) or failed (no contact, several, a contact an earlier row of the chunk already gives, or a contact with
/// several records of the entity, which the import cannot choose between). A dry run judges the same way and only writes the items.
/// </summary>
internal sealed class ContactDetailImportRegistrar(MoonflowDbContext db, TimeProvider clock) : IImportRegistrar<ContactDetailRow>
{
    /// <summary>The statement of each key and mode, built once (from known fields only: no text of the request reaches the SQL).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Key, bool DryRun), string> Statements = new();

    private NpgsqlConnection Connection => (NpgsqlConnection)db.Database.GetDbConnection();

    public async Task<ImportRegistration> RegisterAsync(ImportBatch<ContactDetailRow> batch, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var settings = UploadParameters.Read(batch.Process).ReadSettings().Read<ContactDetailsImportSettings>();
        var key = settings.KeyContactField();
        await StageAsync(batch.Rows, now, cancellationToken);
        var sql = Statements.GetOrAdd((key.Key, batch.DryRun), _ => Build(key, batch.DryRun));
        await using var command = new NpgsqlCommand(sql, Connection);
        foreach (var value in new object[] { batch.Process.TenantId, settings.LotId, settings.Entity.Id, batch.Process.Id, now })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await ImportRegistrationReader.ReadAsync(command, cancellationToken);
    }

    /// <summary>
    /// $1 tenant, $2 lot, $3 entity, $4 process, $5 now. A contact's details are its one record of the entity; the first row
    /// of the chunk for a contact wins (one statement cannot write a record twice), a later chunk's row replaces it again.
    /// </summary>
    internal static string Build(ContactField key, bool dryRun)
    {
        var write = dryRun
            ? string.Empty
            : """
              created AS (
                  INSERT INTO crm.entity_records (id, tenant_id, entity_id, contact_id, values, created_at)
                  SELECT d.new_id, $1, $3, d.contact_id, d.vals, $5 FROM decided d WHERE d.action = 'create'
                  RETURNING id),
              replaced AS (
                  UPDATE crm.entity_records e SET values = d.vals
                  FROM decided d WHERE e.id = d.record_id AND d.action = 'update'
                  RETURNING e.id),
              """;
        var (created, updated) = dryRun ? ("WouldCreate", "WouldUpdate") : ("Created", "Updated");
        // Written into the SQL as literals, so their quotes are doubled.
        var replacedLabel = dryRun ? "Would replace the contact''s details: " : "Replaced the contact''s details: ";
        return $"""
            WITH matched AS (
                SELECT b.seq, c.id FROM contact_detail_batch b
                JOIN crm.contacts c ON c.tenant_id = $1 AND c.lot_id = $2 AND {ContactUpdateRegistrar.KeyMatches(key, "b.key")}),
            judged AS (
                SELECT b.seq, b.record_key, b.new_id, b.vals, count(m.id) AS matches, (array_agg(m.id))[1] AS contact_id
                FROM contact_detail_batch b LEFT JOIN matched m ON m.seq = b.seq
                GROUP BY b.seq, b.record_key, b.new_id, b.vals),
            ranked AS (
                SELECT j.*,
                       CASE WHEN j.matches = 1 THEN row_number() OVER (PARTITION BY j.matches = 1, j.contact_id ORDER BY j.seq) END AS nth,
                       CASE WHEN j.matches = 1 THEN min(j.seq) OVER (PARTITION BY j.matches = 1, j.contact_id) END AS first_seq
                FROM judged j),
            existing AS (
                SELECT r.seq, count(*) AS records, (array_agg(e.id))[1] AS record_id, (array_agg(e.values))[1] AS old_values
                FROM ranked r JOIN crm.entity_records e ON e.contact_id = r.contact_id AND e.entity_id = $3
                WHERE r.nth = 1
                GROUP BY r.seq),
            decided AS (
                SELECT r.*, coalesce(x.records, 0) AS records, x.record_id, x.old_values,
                       CASE WHEN r.matches <> 1 OR r.nth > 1 OR x.records > 1 THEN 'fail'
                            WHEN x.record_id IS NULL THEN 'create'
                            WHEN x.old_values = r.vals THEN 'same'
                            ELSE 'update' END AS action
                FROM ranked r LEFT JOIN existing x ON x.seq = r.seq),
            {write}
            items AS (
                INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
                SELECT $4, d.seq, d.record_key,
                       CASE d.action WHEN 'fail' THEN 'Failed' WHEN 'create' THEN '{created}' WHEN 'update' THEN '{updated}' ELSE 'Skipped' END,
                       CASE WHEN d.matches = 0 THEN 'No contact of this lot matches this key.'
                            WHEN d.matches > 1 THEN format('%s contacts of this lot match this key; use a key that identifies one contact.', d.matches)
                            WHEN d.nth > 1 THEN format('Row %s of this file already gives this contact''s details.', d.first_seq)
                            WHEN d.records > 1 THEN format('The contact has %s records of this entity; a details import keeps one per contact and cannot tell which to replace.', d.records)
                            WHEN d.action = 'update' THEN '{replacedLabel}' || d.old_values::text
                            WHEN d.action = 'same' THEN 'Nothing to change: the contact already has these details.' END
                FROM decided d
                RETURNING seq, outcome = 'Failed' AS failed)
            SELECT seq, failed FROM items
            """;
    }

    private async Task StageAsync(IReadOnlyList<ImportCandidate<ContactDetailRow>> rows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A per-connection work table, emptied at every commit (and before use, should a transaction register twice).
        await using (var create = new NpgsqlCommand(
            """
            CREATE TEMP TABLE IF NOT EXISTS contact_detail_batch (seq bigint PRIMARY KEY, record_key text, key text, new_id uuid, vals jsonb) ON COMMIT DELETE ROWS;
            TRUNCATE contact_detail_batch
            """,
            Connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var importer = await Connection.BeginBinaryImportAsync(
            "COPY contact_detail_batch (seq, record_key, key, new_id, vals) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var (seq, recordKey, row) in rows)
        {
            importer.StartRow();
            importer.Write(seq, NpgsqlDbType.Bigint);
            importer.Write(recordKey.Length <= 200 ? recordKey : recordKey[..200], NpgsqlDbType.Text);
            importer.Write(row.Key, NpgsqlDbType.Text);
            importer.Write(Guid.CreateVersion7(now), NpgsqlDbType.Uuid);
            importer.Write(row.Values, NpgsqlDbType.Jsonb);
        }

        await importer.CompleteAsync(cancellationToken);
    }
}
