using System.Text;
using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Crm.Imports;
using Moonflow.Application.Crm.Imports.UpdateContacts;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Infrastructure.Persistence;
using Moonflow.Infrastructure.Processes.Uploads;
using Npgsql;
using NpgsqlTypes;

namespace Moonflow.Infrastructure.Crm.Imports;

/// <summary>
/// Updates contacts by the chosen key fields on the runner's connection and transaction: a chunk's rows are COPYed
/// (binary) into a temporary staging table, then one statement matches each row's keys against the account's contacts,
/// updates (<c>UPDATE … FROM</c>) those matched exactly once whose values change, and writes every row's item: updated
/// (with the previous values of what changed), skipped (nothing to change) or failed (no contact, several, or a contact
/// an earlier row of the chunk already updates). A dry run matches the same way and only writes the items.
/// </summary>
internal sealed class ContactUpdateRegistrar(MoonflowDbContext db) : IImportRegistrar<ContactUpdateRow>
{
    /// <summary>The statement of each choice of keys and fields, built once (from known fields only: no text of the request reaches the SQL).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Choice, bool DryRun), string> Statements = new();

    private NpgsqlConnection Connection => (NpgsqlConnection)db.Database.GetDbConnection();

    public async Task<ImportRegistration> RegisterAsync(ImportBatch<ContactUpdateRow> batch, CancellationToken cancellationToken)
    {
        var settings = UploadParameters.Read(batch.Process).ReadSettings().Read<ContactsUpdateSettings>();
        await StageAsync(batch.Rows, cancellationToken);
        var sql = Statements.GetOrAdd(
            (string.Join(',', settings.Keys) + "|" + string.Join(',', settings.Fields), batch.DryRun), _ => Build(settings, batch.DryRun));
        await using var command = new NpgsqlCommand(sql, Connection);
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Process.Id, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Process.TenantId, NpgsqlDbType = NpgsqlDbType.Uuid });
        return await ImportRegistrationReader.ReadAsync(command, cancellationToken);
    }

    /// <summary>
    /// The statement for these keys and fields. Rows are matched on every key (<c>b.k[i]</c>); a contact matched by one row
    /// of the chunk only is updated (one statement cannot change a row twice, and the file's order decides: the first row wins).
    /// <c>o</c> is the contact as it was, read in the same snapshot as the update, so its values are the previous ones.
    /// One window pass ranks the rows of each contact (in seq order the running minimum is the first row's seq).
    /// </summary>
    internal static string Build(ContactsUpdateSettings settings, bool dryRun)
    {
        var keys = settings.KeyFields();
        var fields = settings.UpdatedFields();
        var match = string.Join(" AND ", keys.Select((k, i) => KeyMatches(k, $"b.k[{i + 1}]")));
        var changes = fields.Select((f, i) => (Field: f, Value: $"o.v[{i + 1}]", Changed: $"({Value(f, $"o.v[{i + 1}]")} IS NOT NULL AND {Column(f, "o")} IS DISTINCT FROM {Value(f, $"o.v[{i + 1}]")})")).ToList();
        var anyChange = string.Join(" OR ", changes.Select(c => c.Changed));
        var message = string.Join(", ", changes.Select(c =>
            $"CASE WHEN {c.Changed} THEN format('%s: %s → %s', {Literal(c.Field.Key)}, coalesce({Shown(c.Field, Column(c.Field, "o"))}, '(empty)'), {Shown(c.Field, Value(c.Field, c.Value))}) END"));
        var set = new StringBuilder();
        var details = new List<string>();
        foreach (var (field, i) in fields.Select((f, i) => (f, i + 1)))
        {
            var value = Value(field, $"o.v[{i}]");
            switch (field.Kind)
            {
                case ContactFieldKind.Detail:
                    details.Add($"{Literal(DetailName(field))}, {value}");
                    break;
                case ContactFieldKind.YesNo:
                    set.Append($"do_not_call = coalesce({value}, c.do_not_call), dialable = CASE WHEN {value} THEN false ELSE c.dialable END, ");
                    break;
                default:
                    set.Append($"{ColumnName(field)} = coalesce({value}, c.{ColumnName(field)}), ");
                    break;
            }
        }

        if (details.Count > 0)
        {
            set.Append($"details = c.details || jsonb_strip_nulls(jsonb_build_object({string.Join(", ", details)})), ");
        }

        var update = dryRun
            ? string.Empty
            : $"""
              updated AS (
                  UPDATE crm.contacts c SET {set.ToString().TrimEnd(',', ' ')}
                  FROM previous o WHERE c.id = o.id AND o.changed
                  RETURNING c.id),
              """;
        var updatedOutcome = dryRun ? "WouldUpdate" : "Updated";
        var previousLabel = dryRun ? "Would change (previous → new): " : "Changed (previous → new): ";
        return $"""
            WITH {Judged(keys, fields, match)},
            ranked AS (
                SELECT j.*,
                       CASE WHEN j.matches = 1 THEN row_number() OVER w END AS nth,
                       CASE WHEN j.matches = 1 THEN min(j.seq) OVER w END AS first_seq
                FROM judged j
                WINDOW w AS (PARTITION BY j.matches = 1, j.contact_id ORDER BY j.seq)),
            previous AS (
                SELECT o.*, {anyChange} AS changed, concat_ws('; ', {message}) AS message
                FROM ({Previous(keys, fields)}) o),
            {update}
            items AS (
                INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
                SELECT $1, r.seq, r.record_key,
                       CASE WHEN r.matches <> 1 OR r.nth > 1 THEN 'Failed' WHEN p.changed THEN '{updatedOutcome}' ELSE 'Skipped' END,
                       CASE WHEN r.matches = 0 THEN 'No contact of the account matches these keys.'
                            WHEN r.matches > 1 THEN format('%s contacts match these keys; add key fields so that one contact matches.', r.matches)
                            WHEN r.nth > 1 THEN format('Row %s of this file already updates the same contact.', r.first_seq)
                            WHEN p.changed THEN '{previousLabel}' || p.message
                            ELSE 'Nothing to change: the contact already has these values.' END
                FROM ranked r LEFT JOIN previous p ON p.seq = r.seq
                RETURNING seq, outcome)
            SELECT seq, outcome = 'Failed' FROM items
            """;
    }

    /// <summary>
    /// <c>judged</c>: every staged row with how many contacts its keys match and (when one) which. A document number or a
    /// phone among the keys reaches its contacts through an index ((tenant_id, document_number), the phones' GIN), so each
    /// row looks its own matches up (<c>LATERAL</c> with a <c>LIMIT</c> keeps it a nested loop over the staged rows: a join
    /// would let the planner hash the account's whole table for every chunk); the window counts every match before the
    /// limit keeps one, whose current values of the updated fields come along, so the previous values need no second read.
    /// Other keys (name, email, a detail, the document type alone) have no selective index, so the chunk is joined to the
    /// table once and grouped.
    /// </summary>
    private static string Judged(IReadOnlyList<ContactField> keys, IReadOnlyList<ContactField> fields, string match)
    {
        if (!LooksUp(keys))
        {
            return $"""
                matched AS (
                    SELECT b.seq, c.id FROM contact_update_batch b JOIN crm.contacts c ON c.tenant_id = $2 AND {match}),
                judged AS (
                    SELECT b.seq, b.record_key, b.v, count(m.id) AS matches, (array_agg(m.id))[1] AS contact_id
                    FROM contact_update_batch b LEFT JOIN matched m ON m.seq = b.seq
                    GROUP BY b.seq, b.record_key, b.v)
                """;
        }

        var columns = string.Concat(ReadColumns(fields).Select(c => $", c.{c}"));
        var carried = string.Concat(ReadColumns(fields).Select(c => $", m.{c}"));
        return $"""
            judged AS (
                SELECT b.seq, b.record_key, b.v, coalesce(m.matches, 0) AS matches, m.id AS contact_id, m.id{carried}
                FROM contact_update_batch b
                LEFT JOIN LATERAL (
                    SELECT c.id{columns}, count(*) OVER () AS matches
                    FROM crm.contacts c WHERE c.tenant_id = $2 AND {match} LIMIT 1) m ON true)
            """;
    }

    /// <summary>The first row of each matched contact with the contact as it was (<c>o</c>): carried from the look-up, or read again after the join.</summary>
    private static string Previous(IReadOnlyList<ContactField> keys, IReadOnlyList<ContactField> fields) =>
        LooksUp(keys)
            ? $"SELECT r.seq, r.v, r.id{string.Concat(ReadColumns(fields).Select(c => $", r.{c}"))} FROM ranked r WHERE r.nth = 1"
            : "SELECT r.seq, r.v, c.* FROM ranked r JOIN crm.contacts c ON c.id = r.contact_id WHERE r.nth = 1";

    /// <summary>Whether the keys include one with a selective index (a document number, a phone).</summary>
    private static bool LooksUp(IReadOnlyList<ContactField> keys) =>
        keys.Any(k => k.Key == "documentNumber" || k.Kind == ContactFieldKind.Phones);

    /// <summary>The columns the updated fields' previous values are read from (<see cref="Column"/>).</summary>
    private static IEnumerable<string> ReadColumns(IReadOnlyList<ContactField> fields) =>
        fields.Select(f => f.Kind == ContactFieldKind.Detail ? "details" : ColumnName(f)).Distinct();

    /// <summary>Whether contact <c>c</c> has the key value <paramref name="value"/> (the parser wrote it as the database compares it).</summary>
    internal static string KeyMatches(ContactField key, string value) => key.Kind switch
    {
        ContactFieldKind.Phones => $"c.phones @> ARRAY[{value}]",
        ContactFieldKind.Email => $"lower(c.email) = {value}",
        ContactFieldKind.Detail => $"c.details ->> {Literal(DetailName(key))} = {value}",
        _ => $"c.{ColumnName(key)} = {value}",
    };

    /// <summary>The field's current value on <paramref name="row"/>, typed as the column.</summary>
    private static string Column(ContactField field, string row) => field.Kind switch
    {
        ContactFieldKind.Detail => $"({row}.details ->> {Literal(DetailName(field))})",
        _ => $"{row}.{ColumnName(field)}",
    };

    /// <summary>The staged cell as the column's type (NULL when the cell was empty).</summary>
    private static string Value(ContactField field, string cell) => field.Kind switch
    {
        ContactFieldKind.Phones => $"string_to_array({cell}, ';')",
        ContactFieldKind.YesNo => $"({cell})::boolean",
        _ => cell,
    };

    /// <summary>A value as the item's message shows it.</summary>
    private static string Shown(ContactField field, string value) => field.Kind switch
    {
        ContactFieldKind.Phones => $"array_to_string({value}, '; ')",
        ContactFieldKind.YesNo => $"CASE WHEN {value} THEN 'Sí' ELSE 'No' END",
        _ => value,
    };

    private static string ColumnName(ContactField field) => field.Key switch
    {
        "documentType" => "document_type",
        "documentNumber" => "document_number",
        "name" => "name",
        "phones" => "phones",
        "email" => "email",
        "doNotCall" => "do_not_call",
        _ => throw new InvalidOperationException($"The contact field {field.Key} has no column."),
    };

    private static string DetailName(ContactField field) => field.Key[ContactFields.DetailPrefix.Length..];

    /// <summary>A SQL string literal of a field's name, which <see cref="ContactFields.Find"/> limited to letters, digits and underscores.</summary>
    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private async Task StageAsync(IReadOnlyList<ImportCandidate<ContactUpdateRow>> rows, CancellationToken cancellationToken)
    {
        // A per-connection work table, emptied at every commit (and before use, should a transaction register twice).
        await using (var create = new NpgsqlCommand(
            """
            SET LOCAL work_mem = '64MB';
            CREATE TEMP TABLE IF NOT EXISTS contact_update_batch (seq bigint, record_key text, k text[], v text[]) ON COMMIT DELETE ROWS;
            TRUNCATE contact_update_batch
            """,
            Connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var importer = await Connection.BeginBinaryImportAsync(
            "COPY contact_update_batch (seq, record_key, k, v) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var (seq, recordKey, row) in rows)
        {
            importer.StartRow();
            importer.Write(seq, NpgsqlDbType.Bigint);
            importer.Write(recordKey.Length <= 200 ? recordKey : recordKey[..200], NpgsqlDbType.Text);
            importer.Write(row.Keys, NpgsqlDbType.Array | NpgsqlDbType.Text);
            importer.Write(row.Values, NpgsqlDbType.Array | NpgsqlDbType.Text);
        }

        await importer.CompleteAsync(cancellationToken);
    }
}
