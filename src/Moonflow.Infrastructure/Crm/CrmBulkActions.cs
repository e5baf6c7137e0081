using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Moonflow.Application.Crm;
using Moonflow.Application.Processes.Execution;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Processes;
using Moonflow.Infrastructure.Persistence;

namespace Moonflow.Infrastructure.Crm;

/// <summary>
/// The CRM processes' chunks, each one statement: it reads the chunk's frozen targets, changes their rows set-based and
/// writes their items (the outcome and why), inside the runner's transaction, so the chunk commits with its checkpoint or
/// not at all. The tenant is explicit because raw SQL bypasses the EF tenant filter. A record's key in the items is its
/// document, else its first phone, else its id.
/// </summary>
/// <remarks>
/// Every table a chunk touches is reached through <c>id = ANY (ARRAY(SELECT … FROM targets))</c>, never by joining the
/// chunk's CTE to the table: a join lets the planner hash the chunk and scan the whole table (a million contacts, three
/// million calls) once per chunk, which made a chunked run several times slower than one statement over the same rows;
/// an array of ids is always an index lookup of the chunk's rows alone. A chunk's targets are bounded on both sides,
/// <c>seq &gt; checkpoint AND seq &lt;= checkpoint + size</c>: every freeze numbers its targets 1, 2, 3, … without gaps, so
/// the range is exactly the next chunk and a short stretch of the primary key; with the lower bound alone the planner
/// read all of the process's remaining targets (a million, for a recycle of a whole base) to sort out the first 20,000.
/// </remarks>
internal sealed class CrmBulkActions(MoonflowDbContext db) : ICrmBulkActions
{
    private const string ContactNotFound = "Contact not found: it was deleted or never existed in this tenant.";
    private const string AgendaNotFound = "Agenda not found: it was deleted or never existed in this tenant.";
    private const string DoNotCall = "Do-not-call contact: never made dialable again.";
    private const string AlreadyDialable = "Already dialable: nothing to reset.";

    public Task<ChunkOutcome> MakeDialableAsync(BulkProcess process, RecycleMode mode, int chunkSize, CancellationToken cancellationToken)
    {
        // Contact.MakeDialableAgain, set-based: do-not-call contacts are skipped; fresh ones (Contact.Fresh) are skipped unless
        // a recycle has call history of theirs to delete.
        var deletesHistory = mode == RecycleMode.Recycle;
        var done = deletesHistory ? "Dialable again; call history deleted." : "Dialable again; call history kept.";
        return RunAsync(
            db.Database.SqlQuery<ChunkRow>($"""
                WITH targets AS (
                    SELECT seq, record_id FROM processes.process_targets
                    WHERE process_id = {process.Id} AND seq > {process.Checkpoint} AND seq <= {process.Checkpoint + chunkSize}
                    ORDER BY seq LIMIT {chunkSize}),
                found AS (
                    SELECT c.id, c.do_not_call, c.document_type, c.document_number, c.phones[1] AS phone,
                           (c.attempts = 0 AND c.subcategory_id IS NULL AND c.last_user_id IS NULL AND c.dialable)
                             AND NOT ({deletesHistory} AND EXISTS (SELECT 1 FROM crm.call_history h WHERE h.contact_id = c.id)) AS unchanged
                    FROM crm.contacts c
                    WHERE c.id = ANY (ARRAY(SELECT record_id FROM targets)) AND c.tenant_id = {process.TenantId}),
                cur AS (
                    SELECT t.seq, t.record_id, f.* FROM targets t LEFT JOIN found f ON f.id = t.record_id),
                changed AS (
                    UPDATE crm.contacts c SET attempts = 0, subcategory_id = NULL, last_user_id = NULL, dialable = true
                    WHERE c.id = ANY (ARRAY(SELECT id FROM found WHERE NOT do_not_call AND NOT unchanged))),
                history AS (
                    DELETE FROM crm.call_history h
                    WHERE {deletesHistory} AND h.contact_id = ANY (ARRAY(SELECT id FROM found WHERE NOT do_not_call))),
                items AS (
                    INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
                    SELECT {process.Id}, seq, COALESCE(document_type || ' ' || document_number, phone, record_id::text),
                           CASE WHEN id IS NULL THEN 'Failed' WHEN do_not_call OR unchanged THEN 'Skipped' ELSE 'Succeeded' END,
                           CASE WHEN id IS NULL THEN {ContactNotFound} WHEN do_not_call THEN {DoNotCall} WHEN unchanged THEN {AlreadyDialable} ELSE {done} END
                    FROM cur
                    RETURNING seq, outcome)
                SELECT count(*) FILTER (WHERE outcome <> 'Failed') AS "Succeeded",
                       count(*) FILTER (WHERE outcome = 'Failed') AS "Failed",
                       COALESCE(max(seq), 0) AS "LastSeq"
                FROM items
                """),
            cancellationToken);
    }

    public async Task<long> FreezeContactsAsync(Guid processId, IQueryable<Contact> matching, CancellationToken cancellationToken)
    {
        // The query EF Core writes for the selection, numbered by the rows' place in the table (ctid) on the server: ids in
        // uuid order would give each chunk rows spread over the whole table, and a million contacts do not fit the cache.
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = matching.Select(c => c.Id).CreateDbCommand();
        command.CommandText = $"""
            INSERT INTO processes.process_targets (process_id, seq, record_id)
            SELECT @frozen_process_id, row_number() OVER (ORDER BY c.ctid), c.id
            FROM crm.contacts c
            WHERE c.id IN ({command.CommandText})
            """;
        command.Parameters.Add(new Npgsql.NpgsqlParameter<Guid>("frozen_process_id", processId));
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandTimeout = Processes.ProcessTargetStore.FreezeTimeoutSeconds; // a million ids in one statement outlasts the default 30 s on a busy server
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> FreezePendingAgendasAsync(Guid processId, Guid tenantId, IReadOnlyList<Guid> fromUserIds, CancellationToken cancellationToken) =>
        // Numbered in due-date order (the id settles ties), so dealing by position is round-robin by due date.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO processes.process_targets (process_id, seq, record_id)
            SELECT {processId}, row_number() OVER (ORDER BY due_at, id), id
            FROM crm.agendas
            WHERE tenant_id = {tenantId} AND status = 'Pending' AND owner_id = ANY({fromUserIds.ToArray()})
            """, cancellationToken);

    public Task<ChunkOutcome> ReassignAgendasAsync(
        BulkProcess process, IReadOnlyList<Guid> fromUserIds, IReadOnlyList<Guid> toUserIds, IReadOnlyList<string> toUserNames, int chunkSize,
        CancellationToken cancellationToken)
    {
        // AgendaReassignment.TargetFor, set-based: the agenda at position seq goes to target (seq - 1) mod n. The UPDATE itself
        // picks the agendas still pending and still theirs (one lookup of the chunk's rows, as a single statement would);
        // only the frozen ones it did not change, seldom any, are read again for the reason they are skipped or failed.
        var from = fromUserIds.ToArray();
        var to = toUserIds.ToArray();
        var names = toUserNames.ToArray();
        return RunAsync(
            db.Database.SqlQuery<ChunkRow>($"""
                WITH targets AS (
                    SELECT seq, record_id, 1 + ((seq - 1) % {to.Length})::int AS slot FROM processes.process_targets
                    WHERE process_id = {process.Id} AND seq > {process.Checkpoint} AND seq <= {process.Checkpoint + chunkSize}
                    ORDER BY seq LIMIT {chunkSize}),
                changed AS (
                    UPDATE crm.agendas a SET owner_id = ({to})[t.slot]
                    FROM targets t
                    WHERE a.id = ANY (ARRAY(SELECT record_id FROM targets)) AND a.id = t.record_id
                      AND a.tenant_id = {process.TenantId} AND a.status = 'Pending' AND a.owner_id = ANY({from})
                    RETURNING a.id),
                missed AS (
                    SELECT a.id, a.status FROM crm.agendas a
                    WHERE a.id = ANY (ARRAY(SELECT record_id FROM targets EXCEPT ALL SELECT id FROM changed)) AND a.tenant_id = {process.TenantId}),
                items AS (
                    INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
                    SELECT {process.Id}, t.seq, t.record_id::text,
                           CASE WHEN c.id IS NOT NULL THEN 'Succeeded' WHEN m.id IS NULL THEN 'Failed' ELSE 'Skipped' END,
                           CASE WHEN c.id IS NOT NULL THEN 'Reassigned to ' || ({names})[t.slot] || '.'
                                WHEN m.id IS NULL THEN {AgendaNotFound}
                                WHEN m.status <> 'Pending' THEN 'No longer pending (' || lower(m.status) || ').'
                                ELSE 'Already handed to another user.' END
                    FROM targets t LEFT JOIN changed c ON c.id = t.record_id LEFT JOIN missed m ON m.id = t.record_id
                    RETURNING seq, outcome)
                SELECT count(*) FILTER (WHERE outcome <> 'Failed') AS "Succeeded",
                       count(*) FILTER (WHERE outcome = 'Failed') AS "Failed",
                       COALESCE(max(seq), 0) AS "LastSeq"
                FROM items
                """),
            cancellationToken);
    }

    public Task<ChunkOutcome> AssociateAsync(BulkProcess process, Guid baseId, int chunkSize, CancellationToken cancellationToken) =>
        RunAsync(
            db.Database.SqlQuery<ChunkRow>($"""
                WITH targets AS (
                    SELECT seq, record_id FROM processes.process_targets
                    WHERE process_id = {process.Id} AND seq > {process.Checkpoint} AND seq <= {process.Checkpoint + chunkSize}
                    ORDER BY seq LIMIT {chunkSize}),
                found AS (
                    SELECT c.id, c.document_type, c.document_number, c.phones[1] AS phone, c.base_ids @> ARRAY[{baseId}] AS already
                    FROM crm.contacts c
                    WHERE c.id = ANY (ARRAY(SELECT record_id FROM targets)) AND c.tenant_id = {process.TenantId}),
                cur AS (
                    SELECT t.seq, t.record_id, f.* FROM targets t LEFT JOIN found f ON f.id = t.record_id),
                changed AS (
                    UPDATE crm.contacts c SET base_ids = array_append(c.base_ids, {baseId})
                    WHERE c.id = ANY (ARRAY(SELECT id FROM found WHERE NOT already))),
                items AS (
                    INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
                    SELECT {process.Id}, seq, COALESCE(document_type || ' ' || document_number, phone, record_id::text),
                           CASE WHEN id IS NULL THEN 'Failed' WHEN already THEN 'Skipped' ELSE 'Succeeded' END,
                           CASE WHEN id IS NULL THEN {ContactNotFound} WHEN already THEN 'Already in the base.' ELSE 'Added to the base.' END
                    FROM cur
                    RETURNING seq, outcome)
                SELECT count(*) FILTER (WHERE outcome <> 'Failed') AS "Succeeded",
                       count(*) FILTER (WHERE outcome = 'Failed') AS "Failed",
                       COALESCE(max(seq), 0) AS "LastSeq"
                FROM items
                """),
            cancellationToken);

    public Task<ChunkOutcome> DissociateAsync(BulkProcess process, Guid baseId, int chunkSize, CancellationToken cancellationToken) =>
        RunAsync(
            db.Database.SqlQuery<ChunkRow>($"""
                WITH targets AS (
                    SELECT seq, record_id FROM processes.process_targets
                    WHERE process_id = {process.Id} AND seq > {process.Checkpoint} AND seq <= {process.Checkpoint + chunkSize}
                    ORDER BY seq LIMIT {chunkSize}),
                found AS (
                    SELECT c.id, c.document_type, c.document_number, c.phones[1] AS phone, c.base_ids @> ARRAY[{baseId}] AS member
                    FROM crm.contacts c
                    WHERE c.id = ANY (ARRAY(SELECT record_id FROM targets)) AND c.tenant_id = {process.TenantId}),
                cur AS (
                    SELECT t.seq, t.record_id, f.* FROM targets t LEFT JOIN found f ON f.id = t.record_id),
                changed AS (
                    UPDATE crm.contacts c SET base_ids = array_remove(c.base_ids, {baseId})
                    WHERE c.id = ANY (ARRAY(SELECT id FROM found WHERE member))),
                items AS (
                    INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
                    SELECT {process.Id}, seq, COALESCE(document_type || ' ' || document_number, phone, record_id::text),
                           CASE WHEN id IS NULL THEN 'Failed' WHEN NOT member THEN 'Skipped' ELSE 'Succeeded' END,
                           CASE WHEN id IS NULL THEN {ContactNotFound} WHEN NOT member THEN 'No longer in the base.' ELSE 'Removed from the base.' END
                    FROM cur
                    RETURNING seq, outcome)
                SELECT count(*) FILTER (WHERE outcome <> 'Failed') AS "Succeeded",
                       count(*) FILTER (WHERE outcome = 'Failed') AS "Failed",
                       COALESCE(max(seq), 0) AS "LastSeq"
                FROM items
                """),
            cancellationToken);

    public Task<ChunkOutcome> ApplyTagsAsync(
        BulkProcess process, IReadOnlyList<string> add, IReadOnlyList<string> remove, int chunkSize, CancellationToken cancellationToken)
    {
        var addTags = add.ToArray();
        var removeTags = remove.ToArray();
        return RunAsync(
            db.Database.SqlQuery<ChunkRow>($"""
                WITH targets AS (
                    SELECT seq, record_id FROM processes.process_targets
                    WHERE process_id = {process.Id} AND seq > {process.Checkpoint} AND seq <= {process.Checkpoint + chunkSize}
                    ORDER BY seq LIMIT {chunkSize}),
                changed AS (
                    UPDATE crm.contacts c
                    SET tags = ARRAY(SELECT DISTINCT tag FROM unnest(c.tags || {addTags}::text[]) AS tag
                                     WHERE tag <> ALL ({removeTags}::text[]) ORDER BY tag)
                    WHERE c.id = ANY (ARRAY(SELECT record_id FROM targets)) AND c.tenant_id = {process.TenantId}
                    RETURNING c.id, c.document_type, c.document_number, c.phones[1] AS phone),
                items AS (
                    INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
                    SELECT {process.Id}, t.seq, COALESCE(ch.document_type || ' ' || ch.document_number, ch.phone, t.record_id::text),
                           CASE WHEN ch.id IS NULL THEN 'Failed' ELSE 'Succeeded' END,
                           CASE WHEN ch.id IS NULL THEN {ContactNotFound} END
                    FROM targets t LEFT JOIN changed ch ON ch.id = t.record_id
                    RETURNING seq, outcome)
                SELECT count(*) FILTER (WHERE outcome <> 'Failed') AS "Succeeded",
                       count(*) FILTER (WHERE outcome = 'Failed') AS "Failed",
                       COALESCE(max(seq), 0) AS "LastSeq"
                FROM items
                """),
            cancellationToken);
    }

    public Task<ChunkOutcome> DeleteAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken) =>
        RunAsync(
            db.Database.SqlQuery<ChunkRow>($"""
                WITH targets AS (
                    SELECT seq, record_id FROM processes.process_targets
                    WHERE process_id = {process.Id} AND seq > {process.Checkpoint} AND seq <= {process.Checkpoint + chunkSize}
                    ORDER BY seq LIMIT {chunkSize}),
                deleted AS (
                    DELETE FROM crm.contacts c
                    WHERE c.id = ANY (ARRAY(SELECT record_id FROM targets)) AND c.tenant_id = {process.TenantId}
                    RETURNING c.id, c.document_type, c.document_number, c.phones[1] AS phone, c.name),
                items AS (
                    INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
                    SELECT {process.Id}, t.seq, COALESCE(d.document_type || ' ' || d.document_number, d.phone, t.record_id::text),
                           CASE WHEN d.id IS NULL THEN 'Failed' ELSE 'Succeeded' END,
                           CASE WHEN d.id IS NULL THEN {ContactNotFound} ELSE 'Deleted ' || d.name END
                    FROM targets t LEFT JOIN deleted d ON d.id = t.record_id
                    RETURNING seq, outcome)
                SELECT count(*) FILTER (WHERE outcome <> 'Failed') AS "Succeeded",
                       count(*) FILTER (WHERE outcome = 'Failed') AS "Failed",
                       COALESCE(max(seq), 0) AS "LastSeq"
                FROM items
                """),
            cancellationToken);

    /// <summary>
    /// Runs a chunk's statement with nested loops off, for that statement only (<c>SET LOCAL</c>, reset after it). The
    /// chunk's CTEs are joined to each other and to the rows looked up by <c>ANY (ARRAY(…))</c>; the planner estimates them
    /// from <c>process_targets</c>' statistics, and those describe whichever process's targets filled the table when it
    /// was last analyzed: a new process's id is then estimated at one row, and a nested loop over 20,000 × 20,000 rows
    /// (each step an <c>= ANY</c> over the whole chunk) took minutes where a hash join takes milliseconds. That plan's first
    /// chunk outran the command timeout and the job's retry picked it up 33 s later. Every table is still reached through
    /// its index (the lookups are index scans, not joins); only the joins between chunk-sized sets become hash joins.
    /// </summary>
    private async Task<ChunkOutcome> RunAsync(IQueryable<ChunkRow> statement, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_nestloop = off", cancellationToken);
        var row = (await statement.ToListAsync(cancellationToken)).Single();
        await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_nestloop TO DEFAULT", cancellationToken);
        return new ChunkOutcome(row.Succeeded, row.Failed, row.LastSeq);
    }

    private sealed class ChunkRow
    {
        public long Succeeded { get; init; }

        public long Failed { get; init; }

        public long LastSeq { get; init; }
    }
}
