using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Receivables.Clients;
using Moonflow.Domain.Processes;
using Moonflow.Infrastructure.Persistence;

namespace Moonflow.Infrastructure.Receivables;

/// <summary>
/// Each call changes one chunk of frozen targets and writes their items in a single statement, inside the
/// runner's transaction; the tenant is explicit because raw SQL bypasses the EF tenant filter.
/// </summary>
internal sealed class ClientBulkActions(MoonflowDbContext db) : IClientBulkActions
{
    private const string NotFound = "Client not found: it was deleted or never existed in this tenant.";

    public Task<ChunkOutcome> ApplyTagsAsync(
        BulkProcess process, IReadOnlyList<string> add, IReadOnlyList<string> remove, int chunkSize, CancellationToken cancellationToken)
    {
        var addTags = add.ToArray();
        var removeTags = remove.ToArray();
        return RunAsync(
            db.Database.SqlQuery<ChunkRow>($"""
                WITH targets AS (
                    SELECT seq, record_id FROM processes.process_targets
                    WHERE process_id = {process.Id} AND seq > {process.Checkpoint}
                    ORDER BY seq LIMIT {chunkSize}),
                changed AS (
                    UPDATE receivables.clients c
                    SET tags = ARRAY(SELECT DISTINCT tag FROM unnest(c.tags || {addTags}::text[]) AS tag
                                     WHERE tag <> ALL ({removeTags}::text[]) ORDER BY tag)
                    FROM targets t
                    WHERE c.id = t.record_id AND c.tenant_id = {process.TenantId}
                    RETURNING c.id, c.document_type, c.document_number),
                items AS (
                    INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
                    SELECT {process.Id}, t.seq, COALESCE(ch.document_type || ' ' || ch.document_number, t.record_id::text),
                           CASE WHEN ch.id IS NULL THEN 'Failed' ELSE 'Succeeded' END,
                           CASE WHEN ch.id IS NULL THEN {NotFound} END
                    FROM targets t LEFT JOIN changed ch ON ch.id = t.record_id
                    RETURNING seq, outcome)
                SELECT count(*) FILTER (WHERE outcome = 'Succeeded') AS "Succeeded",
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
                    WHERE process_id = {process.Id} AND seq > {process.Checkpoint}
                    ORDER BY seq LIMIT {chunkSize}),
                deleted AS (
                    DELETE FROM receivables.clients c
                    USING targets t
                    WHERE c.id = t.record_id AND c.tenant_id = {process.TenantId}
                    RETURNING c.id, c.document_type, c.document_number, c.name),
                items AS (
                    INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
                    SELECT {process.Id}, t.seq, COALESCE(d.document_type || ' ' || d.document_number, t.record_id::text),
                           CASE WHEN d.id IS NULL THEN 'Failed' ELSE 'Succeeded' END,
                           CASE WHEN d.id IS NULL THEN {NotFound} ELSE 'Deleted ' || d.name END
                    FROM targets t LEFT JOIN deleted d ON d.id = t.record_id
                    RETURNING seq, outcome)
                SELECT count(*) FILTER (WHERE outcome = 'Succeeded') AS "Succeeded",
                       count(*) FILTER (WHERE outcome = 'Failed') AS "Failed",
                       COALESCE(max(seq), 0) AS "LastSeq"
                FROM items
                """),
            cancellationToken);

    private static async Task<ChunkOutcome> RunAsync(IQueryable<ChunkRow> statement, CancellationToken cancellationToken)
    {
        var row = (await statement.ToListAsync(cancellationToken)).Single();
        return new ChunkOutcome(row.Succeeded, row.Failed, row.LastSeq);
    }

    private sealed class ChunkRow
    {
        public long Succeeded { get; init; }

        public long Failed { get; init; }

        public long LastSeq { get; init; }
    }
}
