using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Crm.Imports.ImportContacts;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Crm;
using Moonflow.Infrastructure.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace Moonflow.Infrastructure.Crm.Imports;

/// <summary>
/// Loads a chunk of contacts into the upload's lot on the runner's connection and transaction: the rows are COPYed
/// (binary) into a temporary staging table, then one <c>INSERT … ON CONFLICT</c> on the account's unique document
/// creates the new contacts, updates the known ones that the file changes, and writes every row's item. A dry run
/// stages the rows the same way and only writes the items of what would happen.
/// </summary>
internal sealed class ContactImportRegistrar(MoonflowDbContext db) : IImportRegistrar<Contact>
{
    /// <summary>
    /// Whether a known contact <c>c</c> would change with the file's row <paramref name="row"/> (its columns as the upsert
    /// would write them). One definition for the upsert's <c>WHERE</c> and the dry run's verdict, so both say the same.
    /// </summary>
    private static string ChangesFrom(string row) =>
        $"""
        (c.lot_id IS DISTINCT FROM {row}.lot_id OR c.name <> {row}.name
         OR (cardinality({row}.phones) > 0 AND c.phones <> {row}.phones)
         OR ({row}.email IS NOT NULL AND c.email IS DISTINCT FROM {row}.email)
         OR NOT (c.tags @> {row}.tags) OR ({row}.do_not_call AND NOT c.do_not_call)
         OR NOT (c.base_ids @> {row}.base_ids))
        """;

    /// <summary>
    /// The chunk's rows with what they would write: the lot, the base (as the array the contact would get), and which
    /// row of the chunk is the first with its document (later ones are duplicates: one statement cannot change a row twice).
    /// </summary>
    private const string Ranked =
        """
        ranked AS (
            SELECT b.*, $3::uuid AS lot_id, CASE WHEN $4::uuid IS NULL THEN '{}'::uuid[] ELSE ARRAY[$4::uuid] END AS base_ids,
                   row_number() OVER (PARTITION BY b.document_type, b.document_number ORDER BY b.seq) AS nth,
                   min(b.seq) OVER (PARTITION BY b.document_type, b.document_number) AS first_seq
            FROM contact_import_batch b)
        """;

    private const string Repeated = "format('Repeats row %s of this file (same document).', r.first_seq)";

    private const string Unchanged = "'Already in this lot with the same data.'";

    /// <summary>
    /// Rows go in in file order. The unique document index is the arbiter, against earlier uploads and concurrent ones.
    /// An update keeps what the file leaves empty (phones, e-mail), adds tags and bases, and never clears do-not-call.
    /// </summary>
    private static readonly string RegisterSql =
        $"""
        WITH {Ranked},
        upserted AS (
            INSERT INTO crm.contacts AS c (id, tenant_id, name, document_type, document_number, phones, email, details, tags, do_not_call,
                lot_id, base_ids, attempts, dialable, created_at)
            SELECT id, $2, name, document_type, document_number, phones, email, jsonb_build_object(), tags, do_not_call,
                lot_id, base_ids, 0, NOT do_not_call, created_at
            FROM ranked WHERE nth = 1 ORDER BY seq
            ON CONFLICT (tenant_id, document_type, document_number) WHERE document_number IS NOT NULL DO UPDATE SET
                name = EXCLUDED.name,
                phones = CASE WHEN cardinality(EXCLUDED.phones) > 0 THEN EXCLUDED.phones ELSE c.phones END,
                email = COALESCE(EXCLUDED.email, c.email),
                tags = c.tags || ARRAY(SELECT t FROM unnest(EXCLUDED.tags) t WHERE t <> ALL (c.tags)),
                do_not_call = c.do_not_call OR EXCLUDED.do_not_call,
                dialable = c.dialable AND NOT EXCLUDED.do_not_call,
                lot_id = EXCLUDED.lot_id,
                base_ids = c.base_ids || ARRAY(SELECT x FROM unnest(EXCLUDED.base_ids) x WHERE x <> ALL (c.base_ids))
            WHERE {ChangesFrom("EXCLUDED")}
            RETURNING c.document_type, c.document_number, (c.xmax = 0) AS created),
        items AS (
            INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
            SELECT $1, r.seq, r.record_key,
                   CASE WHEN r.nth > 1 OR u.document_number IS NULL THEN 'Duplicate' WHEN u.created THEN 'Created' ELSE 'Updated' END,
                   CASE WHEN r.nth > 1 THEN {Repeated} WHEN u.document_number IS NULL THEN {Unchanged}
                        WHEN NOT u.created THEN 'Already a contact of the account: updated with the file''s data and placed in this lot.' END
            FROM ranked r
            LEFT JOIN upserted u ON r.nth = 1 AND u.document_type = r.document_type AND u.document_number = r.document_number
            RETURNING 1)
        SELECT count(*) FROM items
        """;

    /// <summary>What the upsert would do, without it: a new document would be created, a known one updated if the row changes it.</summary>
    private static readonly string DryRunSql =
        $"""
        WITH {Ranked},
        judged AS (
            SELECT r.seq, r.record_key, r.nth, r.first_seq, c.id AS existing, c.id IS NOT NULL AND {ChangesFrom("r")} AS changes
            FROM ranked r
            LEFT JOIN crm.contacts c ON c.tenant_id = $2 AND c.document_type = r.document_type AND c.document_number = r.document_number),
        items AS (
            INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
            SELECT $1, r.seq, r.record_key,
                   CASE WHEN r.nth > 1 THEN 'Duplicate' WHEN r.existing IS NULL THEN 'WouldCreate' WHEN r.changes THEN 'WouldUpdate' ELSE 'Duplicate' END,
                   CASE WHEN r.nth > 1 THEN {Repeated} WHEN r.existing IS NOT NULL AND NOT r.changes THEN {Unchanged} END
            FROM judged r
            RETURNING 1)
        SELECT count(*) FROM items
        """;

    private NpgsqlConnection Connection => (NpgsqlConnection)db.Database.GetDbConnection();

    public async Task<ImportRegistration> RegisterAsync(ImportBatch<Contact> batch, CancellationToken cancellationToken)
    {
        var settings = UploadParameters.Read(batch.Process).ReadSettings().Read<ContactsImportSettings>();
        await StageAsync(batch.Rows, cancellationToken);
        if (!batch.DryRun)
        {
            // The lot appears with its first registered chunk: a dry run, or a file with no valid row, leaves none behind.
            await using var lot = Command(
                "INSERT INTO crm.lots (id, tenant_id, name, loaded_at) VALUES ($1, $2, $3, now()) ON CONFLICT (id) DO NOTHING",
                (settings.LotId, NpgsqlDbType.Uuid), (batch.Process.TenantId, NpgsqlDbType.Uuid), (settings.LotName, NpgsqlDbType.Text));
            await lot.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = Command(
            batch.DryRun ? DryRunSql : RegisterSql,
            (batch.Process.Id, NpgsqlDbType.Uuid), (batch.Process.TenantId, NpgsqlDbType.Uuid), (settings.LotId, NpgsqlDbType.Uuid),
            (settings.BaseId, NpgsqlDbType.Uuid));
        var registered = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new ImportRegistration(registered, []);
    }

    private async Task StageAsync(IReadOnlyList<ImportCandidate<Contact>> rows, CancellationToken cancellationToken)
    {
        // A per-connection work table, emptied at every commit (and before use, should a transaction register twice).
        await using (var create = new NpgsqlCommand(
            """
            SET LOCAL work_mem = '64MB';
            CREATE TEMP TABLE IF NOT EXISTS contact_import_batch (
                seq bigint, record_key text, id uuid, name text, document_type text, document_number text, phones text[], email text,
                tags text[], do_not_call boolean, created_at timestamptz) ON COMMIT DELETE ROWS;
            TRUNCATE contact_import_batch
            """,
            Connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var importer = await Connection.BeginBinaryImportAsync(
            "COPY contact_import_batch (seq, record_key, id, name, document_type, document_number, phones, email, tags, do_not_call, created_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var (seq, recordKey, contact) in rows)
        {
            importer.StartRow();
            importer.Write(seq, NpgsqlDbType.Bigint);
            importer.Write(recordKey.Length <= 200 ? recordKey : recordKey[..200], NpgsqlDbType.Text);
            importer.Write(contact.Id, NpgsqlDbType.Uuid);
            importer.Write(contact.Name, NpgsqlDbType.Text);
            importer.Write(contact.DocumentType!, NpgsqlDbType.Text);
            importer.Write(contact.DocumentNumber!, NpgsqlDbType.Text);
            importer.Write(contact.Phones.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            if (contact.Email is null)
            {
                importer.WriteNull();
            }
            else
            {
                importer.Write(contact.Email, NpgsqlDbType.Text);
            }

            importer.Write(contact.Tags.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            importer.Write(contact.DoNotCall, NpgsqlDbType.Boolean);
            importer.Write(contact.CreatedAt, NpgsqlDbType.TimestampTz);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>A command on the runner's connection (and so in its transaction), with typed positional parameters (null as NULL).</summary>
    private NpgsqlCommand Command(string sql, params (object? Value, NpgsqlDbType Type)[] parameters)
    {
        var command = new NpgsqlCommand(sql, Connection);
        foreach (var (value, type) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value, NpgsqlDbType = type });
        }

        return command;
    }
}
