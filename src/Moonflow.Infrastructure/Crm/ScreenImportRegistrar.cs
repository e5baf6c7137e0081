using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Crm.Screens.ImportScreens;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Infrastructure.Persistence;
using Moonflow.Infrastructure.Processes.Uploads;
using Npgsql;
using NpgsqlTypes;

namespace Moonflow.Infrastructure.Crm;

/// <summary>
/// Registers a chunk of a screens workbook on the runner's connection and transaction: the rows are COPYed (binary) into
/// a temporary table, then a few statements create the missing screens and sub-screens, replace the text of the
/// scripts that exist and add the others, each for the whole chunk, and write every row's item. A dry run only
/// resolves the rows against what exists and writes the items of what would happen.
/// </summary>
internal sealed class ScreenImportRegistrar(MoonflowDbContext db) : IImportRegistrar<ScreenScriptRow>
{
    private const string RepeatsAnEarlierRow = "Repeats an earlier row of this file: the same screen, sub-screen and script name.";

    private const string Unchanged = "The script already has this text.";

    /// <summary>Of rows naming the same script, the first is imported and the others fail (which text should win is not ours to guess).</summary>
    private const string MarkRepeatsSql =
        """
        UPDATE screen_import_batch b SET outcome = 'Failed', message = $1
        FROM (SELECT seq, row_number() OVER (PARTITION BY screen, sub_screen, script ORDER BY seq) AS nth FROM screen_import_batch) r
        WHERE r.seq = b.seq AND r.nth > 1
        """;

    private const string CreateScreensSql =
        """
        INSERT INTO crm.screens (id, tenant_id, name)
        SELECT gen_random_uuid(), $1, screen FROM (SELECT DISTINCT screen FROM screen_import_batch WHERE outcome IS NULL) d ORDER BY screen
        ON CONFLICT (tenant_id, name) DO NOTHING
        """;

    /// <summary>
    /// The screens are locked, so two imports into one screen take turns: positions are "after the last one", and a
    /// sub-screen has no unique name the database could arbitrate on. New sub-screens keep the file's order.
    /// </summary>
    private const string CreateSubScreensSql =
        """
        WITH locked AS (
            SELECT sc.id, sc.name FROM crm.screens sc
            WHERE sc.tenant_id = $1 AND sc.name IN (SELECT screen FROM screen_import_batch WHERE outcome IS NULL)
            ORDER BY sc.id FOR UPDATE),
        missing AS (
            SELECT l.id AS screen_id, n.sub_screen, n.first_seq
            FROM (SELECT screen, sub_screen, min(seq) AS first_seq FROM screen_import_batch WHERE outcome IS NULL GROUP BY screen, sub_screen) n
            JOIN locked l ON l.name = n.screen
            WHERE NOT EXISTS (SELECT 1 FROM crm.sub_screens x WHERE x.screen_id = l.id AND x.name = n.sub_screen))
        INSERT INTO crm.sub_screens (id, tenant_id, screen_id, position, name)
        SELECT gen_random_uuid(), $1, m.screen_id,
               COALESCE((SELECT max(x.position) FROM crm.sub_screens x WHERE x.screen_id = m.screen_id), 0)
                   + row_number() OVER (PARTITION BY m.screen_id ORDER BY m.first_seq),
               m.sub_screen
        FROM missing m
        """;

    /// <summary>
    /// Each row's sub-screen and script as they exist now (the first by position when a name repeats), and so its outcome.
    /// A dry run sees the account as it is, so a row whose screen or sub-screen is still to be made would create its script.
    /// </summary>
    private const string ResolveSql =
        """
        UPDATE screen_import_batch b
        SET sub_screen_id = target.sub_screen_id, script_id = target.script_id,
            outcome = CASE WHEN target.script_id IS NULL THEN $2
                           WHEN target.old_text = b.text THEN 'Skipped'
                           ELSE $3 END,
            message = CASE WHEN target.script_id IS NOT NULL AND target.old_text = b.text THEN $4 END
        FROM (
            SELECT r.seq, x.id AS sub_screen_id, s.id AS script_id, s.text AS old_text
            FROM screen_import_batch r
            LEFT JOIN LATERAL (
                SELECT x.id FROM crm.sub_screens x JOIN crm.screens sc ON sc.id = x.screen_id
                WHERE sc.tenant_id = $1 AND sc.name = r.screen AND x.name = r.sub_screen
                ORDER BY x.position LIMIT 1) x ON true
            LEFT JOIN LATERAL (
                SELECT s.id, s.text FROM crm.scripts s WHERE s.sub_screen_id = x.id AND s.name = r.script
                ORDER BY s.position LIMIT 1) s ON true
            WHERE r.outcome IS NULL) target
        WHERE target.seq = b.seq
        """;

    private const string UpdateScriptsSql =
        """
        UPDATE crm.scripts s SET text = b.text
        FROM screen_import_batch b
        WHERE b.outcome = 'Updated' AND s.id = b.script_id
        """;

    private const string CreateScriptsSql =
        """
        INSERT INTO crm.scripts (id, tenant_id, sub_screen_id, position, name, text)
        SELECT gen_random_uuid(), $1, b.sub_screen_id,
               COALESCE((SELECT max(s.position) FROM crm.scripts s WHERE s.sub_screen_id = b.sub_screen_id), 0)
                   + row_number() OVER (PARTITION BY b.sub_screen_id ORDER BY b.seq),
               b.script, b.text
        FROM screen_import_batch b
        WHERE b.outcome = 'Created'
        """;

    private const string ItemsSql =
        """
        INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
        SELECT $1, seq, record_key, outcome, message FROM screen_import_batch
        RETURNING seq, outcome = 'Failed'
        """;

    private NpgsqlConnection Connection => (NpgsqlConnection)db.Database.GetDbConnection();

    /// <summary>The pending entries of the script search's GIN indexes moved into the indexes (migrations <c>ScriptSearchIndex</c>, <c>ScriptSearchWordsColumn</c>).</summary>
    internal const string CleanSearchIndexesSql =
        "SELECT gin_clean_pending_list('crm.ix_scripts_search_text_trgm'::regclass), gin_clean_pending_list('crm.ix_scripts_words'::regclass)";

    public async Task<ImportRegistration> RegisterAsync(ImportBatch<ScreenScriptRow> batch, CancellationToken cancellationToken)
    {
        await StageAsync(batch.Rows, cancellationToken);
        var tenantId = batch.Process.TenantId;
        await ExecuteAsync(MarkRepeatsSql, cancellationToken, RepeatsAnEarlierRow);
        if (batch.DryRun)
        {
            await ExecuteAsync(ResolveSql, cancellationToken, tenantId, "WouldCreate", "WouldUpdate", Unchanged);
        }
        else
        {
            await ExecuteAsync(CreateScreensSql, cancellationToken, tenantId);
            await ExecuteAsync(CreateSubScreensSql, cancellationToken, tenantId);
            await ExecuteAsync(ResolveSql, cancellationToken, tenantId, "Created", "Updated", Unchanged);
            await ExecuteAsync(UpdateScriptsSql, cancellationToken);
            await ExecuteAsync(CreateScriptsSql, cancellationToken, tenantId);

            // The script search's GIN indexes take new entries into a pending list (fast to write), which every search
            // then reads through: 8 ms a search after 100,000 scripts, against 0.1 ms. Merging it now, once a chunk, keeps
            // the writes cheap and the searches after an import fast.
            await ExecuteAsync(CleanSearchIndexesSql, cancellationToken);
        }

        await using var items = Command(ItemsSql, batch.Process.Id);
        return await ImportRegistrationReader.ReadAsync(items, cancellationToken);
    }

    private async Task StageAsync(IReadOnlyList<ImportCandidate<ScreenScriptRow>> rows, CancellationToken cancellationToken)
    {
        // A per-connection work table, emptied at every commit (and before use, should a transaction register twice).
        await ExecuteAsync(
            """
            CREATE TEMP TABLE IF NOT EXISTS screen_import_batch (
                seq bigint PRIMARY KEY, record_key text, screen text, sub_screen text, script text, text text,
                sub_screen_id uuid, script_id uuid, outcome text, message text) ON COMMIT DELETE ROWS;
            TRUNCATE screen_import_batch
            """,
            cancellationToken);

        await using var importer = await Connection.BeginBinaryImportAsync(
            "COPY screen_import_batch (seq, record_key, screen, sub_screen, script, text) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var (seq, recordKey, row) in rows)
        {
            importer.StartRow();
            importer.Write(seq, NpgsqlDbType.Bigint);
            importer.Write(recordKey.Length <= 200 ? recordKey : recordKey[..200], NpgsqlDbType.Text);
            importer.Write(row.Screen, NpgsqlDbType.Text);
            importer.Write(row.SubScreen, NpgsqlDbType.Text);
            importer.Write(row.ScriptName, NpgsqlDbType.Text);
            importer.Write(row.Text, NpgsqlDbType.Text);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = Command(sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A command on the runner's connection (and so in its transaction), with positional parameters.</summary>
    private NpgsqlCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlCommand(sql, Connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return command;
    }
}
