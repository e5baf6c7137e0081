using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Common.Time;
using Moonflow.Application.Processes;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Domain.Common;
using Moonflow.Domain.Interactions;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Interactions.ImportInteractions;

/// <summary>
/// Runs an upload straight from the stored file, which holds the rows still to do: it is read once to count them
/// (refusing a damaged file before anything is registered), then read on chunk by chunk, each chunk checked and
/// registered set-based together with its items and checkpoint; the next chunk is checked while the database registers
/// the current one. A resumed run reads on after the checkpoint.
/// </summary>
/// <remarks>
/// Copying every row into a table first, to read it back chunk by chunk, cost most of what the registration's own
/// COPY costs (a foreign key check and an index entry per row); the file is stored anyway and reads far faster.
/// </remarks>
public sealed class InteractionsImportExecutor(
    IInteractionImportStore store, IFileStorage files, ISpreadsheetReader reader, TenantCalendar calendar, TimeProvider clock)
    : IBulkActionExecutor, IAsyncDisposable
{
    /// <summary>The upload as far as this run has read it, kept open from one chunk to the next.</summary>
    private UploadRows? _upload;

    /// <summary>The next chunk, read and checked while the previous one was being registered.</summary>
    private CheckedChunk? _next;

    public ProcessType Type => ProcessType.InteractionsImport;

    public int ChunkSize(ProcessOptions options) => options.ImportChunkSize;

    public async Task<long> PrepareAsync(BulkProcess process, CancellationToken cancellationToken)
    {
        await using var upload = await OpenAsync(process, cancellationToken);
        return await upload.CountAsync(cancellationToken);
    }

    public async Task<ChunkOutcome> ExecuteChunkAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken)
    {
        var parameters = BulkProcessStarter.ReadParameters<InteractionImportParameters>(process);
        var zone = await calendar.ZoneAsync(cancellationToken);
        var chunk = _next is { } next && next.ProcessId == process.Id && next.AfterRow == process.Checkpoint
            ? next
            : await CheckChunkAsync(process, parameters, zone, process.Checkpoint, chunkSize, cancellationToken);
        _next = null;
        if (chunk.Rows == 0)
        {
            return ChunkOutcome.Nothing;
        }

        // While the database registers this chunk, the next one is read and checked: the file and the lookups'
        // own connection are free, and the database has the registration's work to do meanwhile.
        var registering = store.RegisterAsync(process, chunk.Candidates, chunk.Failures, cancellationToken);
        try
        {
            _next = await CheckChunkAsync(process, parameters, zone, chunk.LastRow, chunkSize, cancellationToken);
        }
        finally
        {
            // Whatever happened to the checking, the transaction must not end before the database is done.
            await ((Task)registering).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return await registering;
    }

    public async Task<StoredFile?> WriteErrorReportAsync(BulkProcess process, CancellationToken cancellationToken) =>
        await store.WriteErrorWorkbookAsync(process, BulkProcessStarter.ReadParameters<InteractionImportParameters>(process).Headers, cancellationToken);

    public Task CleanUpAsync(BulkProcess process, CancellationToken cancellationToken) => store.DeleteFailedRowsAsync(process.Id, cancellationToken);

    public ValueTask DisposeAsync() => CloseUploadAsync();

    /// <summary>
    /// Reads the rows after <paramref name="afterRow"/> (a chunk's worth), parses them, looks up their clients and
    /// advisors and builds their interactions: what is left is to register them. Touches no transaction.
    /// </summary>
    private async Task<CheckedChunk> CheckChunkAsync(
        BulkProcess process, InteractionImportParameters parameters, TimeZoneInfo zone, long afterRow, int chunkSize, CancellationToken cancellationToken)
    {
        var upload = await UploadAfterAsync(process, afterRow, cancellationToken);
        var rows = await upload.ReadAsync(chunkSize, cancellationToken);
        var now = clock.GetUtcNow();
        var parser = new InteractionImportRowParser(parameters.Columns, zone, now);
        var valid = new List<(ParsedImportRow Row, IReadOnlyList<string?> Cells)>(rows.Count);
        var failures = new List<FailedImportRow>();
        foreach (var row in rows)
        {
            var (parsed, error) = parser.Parse(row.RowNumber, row.Cells);
            if (parsed is null)
            {
                failures.Add(new FailedImportRow(row.RowNumber, $"Row {row.RowNumber}", error!, row.Cells));
            }
            else
            {
                valid.Add((parsed, row.Cells));
            }
        }

        var clients = await store.FindClientsAsync(
            process.TenantId, valid.Select(v => (v.Row.DocumentType, v.Row.DocumentNumber)).ToHashSet(), cancellationToken);
        var advisors = await store.FindAdvisorsAsync(
            process.TenantId, valid.Where(v => v.Row.AdvisorEmail is not null).Select(v => v.Row.AdvisorEmail!).ToHashSet(), cancellationToken);
        var candidates = new List<(long, string, Interaction)>(valid.Count);
        foreach (var (row, cells) in valid)
        {
            var (interaction, error) = ToInteraction(process.TenantId, row, clients, advisors, now);
            if (interaction is null)
            {
                failures.Add(new FailedImportRow(row.Seq, row.RecordKey, error!, cells));
            }
            else
            {
                candidates.Add((row.Seq, row.RecordKey, interaction));
            }
        }

        return new CheckedChunk(process.Id, afterRow, rows.Count, rows.Count > 0 ? rows[^1].RowNumber : afterRow, candidates, failures);
    }

    /// <summary>
    /// The upload, positioned after <paramref name="afterRow"/>: the one the previous chunk read on, or, for a run's
    /// first chunk (or after a chunk that did not commit), the file opened again and read past the rows already done.
    /// </summary>
    private async Task<UploadRows> UploadAfterAsync(BulkProcess process, long afterRow, CancellationToken cancellationToken)
    {
        if (_upload is { } open && open.ProcessId == process.Id && open.LastRow == afterRow)
        {
            return open;
        }

        await CloseUploadAsync();
        _upload = await OpenAsync(process, cancellationToken);
        await _upload.SkipToAsync(afterRow, cancellationToken);
        return _upload;
    }

    private async Task<UploadRows> OpenAsync(BulkProcess process, CancellationToken cancellationToken)
    {
        var parameters = BulkProcessStarter.ReadParameters<InteractionImportParameters>(process);
        Stream content;
        try
        {
            content = await files.OpenReadAsync(parameters.StorageKey, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            throw new ProcessInputException("The uploaded file is no longer available; upload it again.");
        }

        return new UploadRows(process.Id, content, reader.ReadRowsAsync(content, parameters.Format, cancellationToken).GetAsyncEnumerator(cancellationToken));
    }

    private async ValueTask CloseUploadAsync()
    {
        if (_upload is not null)
        {
            await _upload.DisposeAsync();
            _upload = null;
        }
    }

    private static (Interaction? Interaction, string? Error) ToInteraction(
        Guid tenantId, ParsedImportRow row, IReadOnlyDictionary<(Domain.Receivables.DocumentType, string), ClientRef> clients,
        IReadOnlyDictionary<string, AdvisorRef> advisors, DateTimeOffset now)
    {
        if (!clients.TryGetValue((row.DocumentType, row.DocumentNumber), out var client))
        {
            return (null, $"No client with document {row.RecordKey} in this account.");
        }

        AdvisorRef? advisor = null;
        if (row.AdvisorEmail is not null && !advisors.TryGetValue(row.AdvisorEmail, out advisor))
        {
            return (null, $"No user with e-mail {row.AdvisorEmail} to be the advisor.");
        }

        var details = new InteractionDetails(
            tenantId, client.Id, row.DocumentType.ToString(), row.DocumentNumber, client.Name, row.Direction, row.Channel, row.Recipients,
            row.Campaign, row.Template, row.Portfolio, advisor?.Id, advisor?.Name, row.Message, row.ErrorMessage);
        try
        {
            var scheduled = row.Status == InteractionStatus.Scheduled;
            return (Interaction.Register(details, row.Status, scheduled ? row.SentAt : null, scheduled ? null : row.SentAt, InteractionSource.Imported, now), null);
        }
        catch (Exception ex) when (ex is DomainValidationException or BusinessRuleValidationException)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>A chunk's rows, checked: the interactions to register and the rows that failed, in file order.</summary>
    private sealed record CheckedChunk(
        Guid ProcessId, long AfterRow, int Rows, long LastRow,
        IReadOnlyList<(long Seq, string RecordKey, Interaction Interaction)> Candidates, IReadOnlyList<FailedImportRow> Failures);

    /// <summary>
    /// The data rows of a stored upload, read forward: the header row and blank lines are left out. A damaged file
    /// fails the process with the reader's readable reason.
    /// </summary>
    private sealed class UploadRows(Guid processId, Stream content, IAsyncEnumerator<SpreadsheetRow> rows) : IAsyncDisposable
    {
        private bool _headerSkipped;

        /// <summary>A row read while skipping that is not to be skipped.</summary>
        private SpreadsheetRow? _pending;

        public Guid ProcessId { get; } = processId;

        /// <summary>The row number of the last data row handed out (or skipped); 0 before the first.</summary>
        public long LastRow { get; private set; }

        public async Task<long> CountAsync(CancellationToken cancellationToken)
        {
            long count = 0;
            while (await NextFromFileAsync(cancellationToken) is not null)
            {
                count++;
            }

            return count;
        }

        /// <summary>Moves past the rows up to <paramref name="rowNumber"/>, whose work is done.</summary>
        public async Task SkipToAsync(long rowNumber, CancellationToken cancellationToken)
        {
            while (await NextFromFileAsync(cancellationToken) is { } row)
            {
                if (row.RowNumber > rowNumber)
                {
                    _pending = row;
                    break;
                }
            }

            LastRow = rowNumber;
        }

        /// <summary>The next data rows, at most <paramref name="limit"/>; none at the end of the file.</summary>
        public async Task<List<SpreadsheetRow>> ReadAsync(int limit, CancellationToken cancellationToken)
        {
            var read = new List<SpreadsheetRow>(limit);
            if (_pending is { } pending)
            {
                read.Add(pending);
                _pending = null;
            }

            while (read.Count < limit && await NextFromFileAsync(cancellationToken) is { } row)
            {
                read.Add(row);
            }

            if (read.Count > 0)
            {
                LastRow = read[^1].RowNumber;
            }

            return read;
        }

        public async ValueTask DisposeAsync()
        {
            await rows.DisposeAsync();
            await content.DisposeAsync();
        }

        private async Task<SpreadsheetRow?> NextFromFileAsync(CancellationToken cancellationToken)
        {
            try
            {
                while (await rows.MoveNextAsync())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var isHeader = !_headerSkipped;
                    _headerSkipped = true;

                    // Blank lines are not rows.
                    if (!isHeader && !rows.Current.Cells.All(string.IsNullOrWhiteSpace))
                    {
                        return rows.Current;
                    }
                }

                return null;
            }
            catch (SpreadsheetFormatException ex)
            {
                throw new ProcessInputException(ex.Message);
            }
        }
    }
}
