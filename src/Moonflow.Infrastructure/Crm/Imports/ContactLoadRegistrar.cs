using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Crm.Imports.ImportContacts;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Crm;
using Moonflow.Infrastructure.Persistence;
using Moonflow.Infrastructure.Processes.Uploads;
using Npgsql;
using NpgsqlTypes;

namespace Moonflow.Infrastructure.Crm.Imports;

/// <summary>
/// The contacts load's registrar: rows with a document go to <see cref="ContactImportRegistrar"/> (matched by the account's
/// unique document), then rows without one are registered here, in the same transaction. A contact without a document has
/// no key of its own, so its <b>lot and phone</b> tell a repeat apart: a row is a duplicate when a contact of the lot
/// already has one of its phones (the rows with a document just registered included) or an earlier row of the chunk gave
/// one of them; it never updates a contact, as nothing says which one it is. Staged with binary COPY, one statement.
/// </summary>
internal sealed class ContactLoadRegistrar(ContactImportRegistrar withDocument, MoonflowDbContext db) : IImportRegistrar<Contact>
{
    /// <summary>$1 process, $2 tenant, $3 lot, $4 base (or NULL). Each phone of the chunk is compared once (hashed), not row against row.</summary>
    private const string Judged =
        """
        phones AS (
            SELECT b.seq, p.phone FROM contact_load_undocumented b CROSS JOIN LATERAL unnest(b.phones) AS p(phone)),
        first_by_phone AS (
            SELECT phone, min(seq) AS first_seq FROM phones GROUP BY phone),
        repeats AS (
            SELECT p.seq, min(f.first_seq) AS first_seq FROM phones p JOIN first_by_phone f ON f.phone = p.phone AND f.first_seq < p.seq GROUP BY p.seq),
        known AS (
            SELECT DISTINCT p.seq FROM phones p
            JOIN crm.contacts c ON c.tenant_id = $2 AND c.lot_id = $3 AND c.phones @> ARRAY[p.phone]),
        judged AS (
            SELECT b.*, r.first_seq, k.seq IS NOT NULL AS known
            FROM contact_load_undocumented b LEFT JOIN repeats r ON r.seq = b.seq LEFT JOIN known k ON k.seq = b.seq)
        """;

    private const string Items =
        """
        items AS (
            INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
            SELECT $1, seq, record_key, CASE WHEN first_seq IS NOT NULL OR known THEN 'Duplicate' ELSE '{0}' END,
                   CASE WHEN first_seq IS NOT NULL THEN format('Repeats row %s of this file (no document, the same phone).', first_seq)
                        WHEN known THEN 'Already in this lot: a contact of the lot has this phone (a contact without a document is told apart by its lot and phone).' END
            FROM judged
            RETURNING seq, false AS failed)
        SELECT seq, failed FROM items
        """;

    private static readonly string RegisterSql =
        $"""
        WITH {Judged},
        inserted AS (
            INSERT INTO crm.contacts (id, tenant_id, name, document_type, document_number, phones, email, details, tags, do_not_call,
                lot_id, base_ids, attempts, dialable, created_at)
            SELECT id, $2, name, NULL, NULL, phones, email, jsonb_build_object(), tags, do_not_call,
                $3, CASE WHEN $4::uuid IS NULL THEN ARRAY[]::uuid[] ELSE ARRAY[$4::uuid] END, 0, NOT do_not_call, created_at
            FROM judged WHERE first_seq IS NULL AND NOT known
            RETURNING id),
        {string.Format(System.Globalization.CultureInfo.InvariantCulture, Items, "Created")}
        """;

    private static readonly string DryRunSql =
        $"""
        WITH {Judged},
        {string.Format(System.Globalization.CultureInfo.InvariantCulture, Items, "WouldCreate")}
        """;

    private NpgsqlConnection Connection => (NpgsqlConnection)db.Database.GetDbConnection();

    public async Task<ImportRegistration> RegisterAsync(ImportBatch<Contact> batch, CancellationToken cancellationToken)
    {
        var undocumented = batch.Rows.Where(r => r.Row.DocumentNumber is null).ToList();

        // Always called, even with no row: it also creates the lot with the first registered chunk.
        var documented = await withDocument.RegisterAsync(
            undocumented.Count == 0 ? batch : batch with { Rows = batch.Rows.Where(r => r.Row.DocumentNumber is not null).ToList() }, cancellationToken);
        if (undocumented.Count == 0)
        {
            return documented;
        }

        var settings = UploadParameters.Read(batch.Process).ReadSettings().Read<ContactsImportSettings>();
        await StageAsync(undocumented, cancellationToken);
        await using var command = new NpgsqlCommand(batch.DryRun ? DryRunSql : RegisterSql, Connection);
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Process.Id, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Process.TenantId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = settings.LotId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)settings.BaseId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        var registered = await ImportRegistrationReader.ReadAsync(command, cancellationToken);
        return new ImportRegistration(documented.Succeeded + registered.Succeeded, [.. documented.FailedSeqs, .. registered.FailedSeqs]);
    }

    private async Task StageAsync(IReadOnlyList<ImportCandidate<Contact>> rows, CancellationToken cancellationToken)
    {
        // A per-connection work table, emptied at every commit (and before use, should a transaction register twice).
        await using (var create = new NpgsqlCommand(
            """
            CREATE TEMP TABLE IF NOT EXISTS contact_load_undocumented (
                seq bigint PRIMARY KEY, record_key text, id uuid, name text, phones text[], email text, tags text[], do_not_call boolean,
                created_at timestamptz) ON COMMIT DELETE ROWS;
            TRUNCATE contact_load_undocumented
            """,
            Connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var importer = await Connection.BeginBinaryImportAsync(
            "COPY contact_load_undocumented (seq, record_key, id, name, phones, email, tags, do_not_call, created_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var (seq, recordKey, contact) in rows)
        {
            importer.StartRow();
            importer.Write(seq, NpgsqlDbType.Bigint);
            importer.Write(recordKey.Length <= 200 ? recordKey : recordKey[..200], NpgsqlDbType.Text);
            importer.Write(contact.Id, NpgsqlDbType.Uuid);
            importer.Write(contact.Name, NpgsqlDbType.Text);
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
}
