using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Crm.Conversations.MassCloseConversations;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Infrastructure.Persistence;
using Moonflow.Infrastructure.Processes.Uploads;
using Npgsql;
using NpgsqlTypes;

namespace Moonflow.Infrastructure.Crm;

/// <summary>
/// Closes a chunk of a mass close on the runner's connection and transaction: the ids are COPYed (binary) into a temporary
/// table, then one statement finds the tenant's conversations, closes the open ones and writes every row's item. Another
/// tenant's conversation is not found, exactly like one that does not exist.
/// </summary>
internal sealed class ConversationMassCloseRegistrar(MoonflowDbContext db, TimeProvider clock) : IImportRegistrar<ConversationToClose>
{
    private const string Unknown = "No conversation with this ConversationId in this account.";
    private const string AlreadyClosed = "The conversation is already closed.";
    private const string RepeatsAnEarlierRow = "Repeats an earlier row of this file: the same ConversationId.";

    /// <summary>
    /// The update checks the status again on the row it locks: a conversation closed by someone else since the chunk
    /// looked is left as they closed it, and its item says it was already closed.
    /// </summary>
    private const string CloseSql =
        """
        WITH judged AS (
            SELECT b.seq, b.record_key, c.id, c.status,
                   row_number() OVER (PARTITION BY b.conversation_id ORDER BY b.seq) > 1 AS repeated
            FROM mass_close_batch b
            LEFT JOIN crm.conversations c ON c.tenant_id = $1 AND c.external_id = b.conversation_id),
        closed AS (
            UPDATE crm.conversations c
            SET status = 'Closed', subcategory_id = $2, closed_at = $3, closed_by = $4
            FROM judged j
            WHERE c.id = j.id AND j.status = 'Open' AND NOT j.repeated AND c.status = 'Open'
            RETURNING c.id),
        items AS (
            INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
            SELECT $5, j.seq, j.record_key,
                   CASE WHEN k.id IS NOT NULL THEN 'Succeeded' ELSE 'Failed' END,
                   CASE WHEN k.id IS NOT NULL THEN NULL WHEN j.repeated THEN $6 WHEN j.id IS NULL THEN $7 ELSE $8 END
            FROM judged j LEFT JOIN closed k ON k.id = j.id AND NOT j.repeated
            RETURNING seq, outcome = 'Failed' AS failed)
        SELECT seq, failed FROM items
        """;

    private const string DryRunSql =
        """
        WITH judged AS (
            SELECT b.seq, b.record_key, c.id, c.status,
                   row_number() OVER (PARTITION BY b.conversation_id ORDER BY b.seq) > 1 AS repeated
            FROM mass_close_batch b
            LEFT JOIN crm.conversations c ON c.tenant_id = $1 AND c.external_id = b.conversation_id),
        items AS (
            INSERT INTO processes.process_items (process_id, seq, record_key, outcome, message)
            SELECT $2, seq, record_key,
                   CASE WHEN status = 'Open' AND NOT repeated THEN 'WouldUpdate' ELSE 'Failed' END,
                   CASE WHEN status = 'Open' AND NOT repeated THEN NULL WHEN repeated THEN $3 WHEN id IS NULL THEN $4 ELSE $5 END
            FROM judged
            RETURNING seq, outcome = 'Failed' AS failed)
        SELECT seq, failed FROM items
        """;

    private NpgsqlConnection Connection => (NpgsqlConnection)db.Database.GetDbConnection();

    public async Task<ImportRegistration> RegisterAsync(ImportBatch<ConversationToClose> batch, CancellationToken cancellationToken)
    {
        await StageAsync(batch.Rows, cancellationToken);
        var process = batch.Process;
        await using var command = batch.DryRun
            ? Command(DryRunSql, process.TenantId, process.Id, RepeatsAnEarlierRow, Unknown, AlreadyClosed)
            : Command(
                CloseSql, process.TenantId, UploadParameters.Read(process).ReadSettings().Read<MassCloseSettings>().SubcategoryId, clock.GetUtcNow(),
                process.RequestedBy, process.Id, RepeatsAnEarlierRow, Unknown, AlreadyClosed);

        return await ImportRegistrationReader.ReadAsync(command, cancellationToken);
    }

    private async Task StageAsync(IReadOnlyList<ImportCandidate<ConversationToClose>> rows, CancellationToken cancellationToken)
    {
        // A per-connection work table, emptied at every commit (and before use, should a transaction register twice).
        await using (var create = new NpgsqlCommand(
            """
            CREATE TEMP TABLE IF NOT EXISTS mass_close_batch (seq bigint PRIMARY KEY, record_key text, conversation_id text) ON COMMIT DELETE ROWS;
            TRUNCATE mass_close_batch
            """,
            Connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var importer = await Connection.BeginBinaryImportAsync(
            "COPY mass_close_batch (seq, record_key, conversation_id) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var (seq, recordKey, row) in rows)
        {
            importer.StartRow();
            importer.Write(seq, NpgsqlDbType.Bigint);
            importer.Write(recordKey.Length <= 200 ? recordKey : recordKey[..200], NpgsqlDbType.Text);
            importer.Write(row.ConversationId, NpgsqlDbType.Text);
        }

        await importer.CompleteAsync(cancellationToken);
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
