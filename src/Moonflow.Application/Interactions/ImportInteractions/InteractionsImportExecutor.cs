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
/// registered set-based together with its items and checkpoint. A resumed run reads on after the checkpoint.
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

    public ProcessType Type => ProcessType.InteractionsImport;

    public int ChunkSize(ProcessOptions options) => options.ImportChunkSize;

    public async Task<long> PrepareAsync(BulkProcess process, CancellationToken cancellationToken)
    {
        await using var upload = await OpenAsync(process, cancellationToken);
        return await upload.CountAsync(cancellationToken);
    }

    public async Task<ChunkOutcome> ExecuteChunkAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken)
    {
        var upload = await UploadAtCheckpointAsync(process, cancellationToken);
        var rows = await upload.ReadAsync(chunkSize, cancellationToken);
        if (rows.Count == 0)
        {
            return ChunkOutcome.Nothing;
        }

        var parameters = BulkProcessStarter.ReadParameters<InteractionImportParameters>(process);
        var now = clock.GetUtcNow();
        var parser = new InteractionImportRowParser(parameters.Columns, await calendar.ZoneAsync(cancellationToken), now);
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

        // While the database registers this chunk, the next chunk's rows are read from the file.
        var registering = store.RegisterAsync(process, candidates, failures, cancellationToken);
        try
        {
            await upload.ReadAheadAsync(chunkSize, cancellationToken);
        }
        finally
        {
            // Whatever happened to the reading, the transaction must not end before the database is done.
            await ((Task)registering).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return await registering;
    }

    public async Task<StoredFile?> WriteErrorReportAsync(BulkProcess process, CancellationToken cancellationToken) =>
        await store.WriteErrorWorkbookAsync(process, BulkProcessStarter.ReadParameters<InteractionImportParameters>(process).Headers, cancellationToken);

    public Task CleanUpAsync(BulkProcess process, CancellationToken cancellationToken) => store.DeleteFailedRowsAsync(process.Id, cancellationToken);

    public ValueTask DisposeAsync() => CloseUploadAsync();

    /// <summary>
    /// The upload, positioned after the checkpoint: the one the previous chunk read on, or, for a run's first chunk
    /// (or after a chunk that did not commit), the file opened again and read past the rows already done.
    /// </summary>
    private async Task<UploadRows> UploadAtCheckpointAsync(BulkProcess process, CancellationToken cancellationToken)
    {
        if (_upload is { } open && open.ProcessId == process.Id && open.LastRow == process.Checkpoint)
        {
            return open;
        }

        await CloseUploadAsync();
        _upload = await OpenAsync(process, cancellationToken);
        await _upload.SkipToAsync(process.Checkpoint, cancellationToken);
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

    /// <summary>
    /// The data rows of a stored upload, read forward: the header row and blank lines are left out. A damaged file
    /// fails the process with the reader's readable reason.
    /// </summary>
    private sealed class UploadRows(Guid processId, Stream content, IAsyncEnumerator<SpreadsheetRow> rows) : IAsyncDisposable
    {
        /// <summary>Rows read from the file but not handed out yet.</summary>
        private readonly Queue<SpreadsheetRow> _readAhead = new();
        private bool _headerSkipped;

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
                    _readAhead.Enqueue(row);
                    break;
                }
            }

            LastRow = rowNumber;
        }

        /// <summary>The next data rows, at most <paramref name="limit"/>; none at the end of the file.</summary>
        public async Task<List<SpreadsheetRow>> ReadAsync(int limit, CancellationToken cancellationToken)
        {
            var read = new List<SpreadsheetRow>(limit);
            while (read.Count < limit)
            {
                var row = _readAhead.Count > 0 ? _readAhead.Dequeue() : await NextFromFileAsync(cancellationToken);
                if (row is null)
                {
                    break;
                }

                read.Add(row);
            }

            if (read.Count > 0)
            {
                LastRow = read[^1].RowNumber;
            }

            return read;
        }

        /// <summary>Reads, while the caller waits on something else, the rows <see cref="ReadAsync"/> will hand out next.</summary>
        public async Task ReadAheadAsync(int limit, CancellationToken cancellationToken)
        {
            while (_readAhead.Count < limit && await NextFromFileAsync(cancellationToken) is { } row)
            {
                _readAhead.Enqueue(row);
            }
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
