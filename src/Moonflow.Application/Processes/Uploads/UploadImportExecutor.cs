using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Localization;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Processes.Execution;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes.Uploads;

/// <summary>
/// Runs an upload of any import straight from the stored file, which holds the rows still to do: it is read once to
/// count them (refusing a damaged file, or one over the readers' row limit, <c>Uploads:Limits:MaxRows</c>, before anything is
/// registered),
/// then read on chunk by chunk. Each chunk is parsed by the import's parser and registered by its registrar together
/// with its items and checkpoint, in the runner's transaction; the next chunk is read and parsed while the database
/// registers the current one. A crashed chunk rolls back and the next run reads on after the checkpoint.
/// </summary>
/// <remarks>
/// Copying every row into a table first, to read it back chunk by chunk, cost most of what the registration's own
/// COPY costs (a foreign key check and an index entry per row); the file is stored anyway and reads far faster.
/// </remarks>
public sealed class UploadImportExecutor<TRow>(
    IImportDefinition<TRow> import, IImportRegistrar<TRow> registrar, IUploadRowStore uploadRows, IFileStorage files, ISpreadsheetReader reader,
    IOptions<UploadOptions> options)
    : IBulkActionExecutor, IAsyncDisposable
    where TRow : notnull
{
    /// <summary>The upload as far as this run has read it, kept open from one chunk to the next.</summary>
    private UploadRows? _upload;

    /// <summary>The next chunk, read and parsed while the previous one was being registered.</summary>
    private ParsedChunk? _next;

    /// <summary>The parser of the process this run works on.</summary>
    private (Guid ProcessId, IImportRowParser<TRow> Parser)? _parser;

    public ProcessType Type => import.ProcessType;

    public int ChunkSize(ProcessOptions options) => options.ImportChunkSize;

    public async Task<long> PrepareAsync(BulkProcess process, CancellationToken cancellationToken)
    {
        // The reader refuses a file over the row limit while it counts, naming the limit: one definition of "too many rows".
        await using var upload = await OpenAsync(process, cancellationToken);
        return await upload.CountAsync(cancellationToken);
    }

    public async Task<ChunkOutcome> ExecuteChunkAsync(BulkProcess process, int chunkSize, CancellationToken cancellationToken)
    {
        var parameters = UploadParameters.Read(process);
        var chunk = _next is { } next && next.ProcessId == process.Id && next.AfterRow == process.Checkpoint
            ? next
            : await ParseChunkAsync(process, parameters, process.Checkpoint, chunkSize, cancellationToken);
        _next = null;
        if (chunk.Rows.Count == 0)
        {
            return ChunkOutcome.Nothing;
        }

        // While the database registers this chunk, the next one is read and parsed: the file and the parser's lookups
        // are free, and the database has the registration's work to do meanwhile.
        var registering = RegisterAsync(process, parameters, chunk, cancellationToken);
        try
        {
            _next = await ParseChunkAsync(process, parameters, chunk.LastRow, chunkSize, cancellationToken);
        }
        finally
        {
            // Whatever happened to the parsing, the transaction must not end before the database is done.
            await ((Task)registering).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return await registering;
    }

    public async Task<StoredFile?> WriteErrorReportAsync(BulkProcess process, CancellationToken cancellationToken) =>
        await uploadRows.WriteErrorWorkbookAsync(process, UploadParameters.Read(process).Headers, cancellationToken);

    public Task CleanUpAsync(BulkProcess process, CancellationToken cancellationToken) => uploadRows.DeleteAsync(process.Id, cancellationToken);

    public ValueTask DisposeAsync() => CloseUploadAsync();

    /// <summary>Registers a parsed chunk, writes the items of its refused rows, and keeps the failed rows the error workbook has room for.</summary>
    private async Task<ChunkOutcome> RegisterAsync(BulkProcess process, UploadParameters parameters, ParsedChunk chunk, CancellationToken cancellationToken)
    {
        var registration = chunk.Candidates.Count > 0
            ? await registrar.RegisterAsync(new ImportBatch<TRow>(process, chunk.Candidates, parameters.DryRun), cancellationToken)
            : ImportRegistration.Nothing;

        // Every failed row has its item; only the first ones of the whole upload keep their cells for the workbook, so a
        // file of bad rows costs a row of items each, not a copy of itself.
        var failed = chunk.Failures.Select(f => f.Seq).Concat(registration.FailedSeqs).ToHashSet();
        var room = (int)Math.Max(0, options.Value.MaxErrorRows - process.Failed);
        var kept = room == 0 || failed.Count == 0 ? [] : chunk.Rows.Where(r => failed.Contains(r.RowNumber)).Take(room).ToList();
        if (chunk.Failures.Count > 0 || kept.Count > 0)
        {
            await uploadRows.RecordFailuresAsync(process.Id, chunk.Failures, kept, cancellationToken);
        }

        return new ChunkOutcome(registration.Succeeded, chunk.Failures.Count + registration.FailedSeqs.Count, chunk.LastRow);
    }

    /// <summary>
    /// Reads the rows after <paramref name="afterRow"/> (a chunk's worth) and parses them: what is left is to register
    /// them. Touches no transaction.
    /// </summary>
    private async Task<ParsedChunk> ParseChunkAsync(
        BulkProcess process, UploadParameters parameters, long afterRow, int chunkSize, CancellationToken cancellationToken)
    {
        var upload = await UploadAfterAsync(process, afterRow, cancellationToken);
        var rows = await upload.ReadAsync(chunkSize, cancellationToken);
        if (rows.Count == 0)
        {
            return new ParsedChunk(process.Id, afterRow, rows, [], [], afterRow);
        }

        var parser = await ParserAsync(process, parameters, cancellationToken);
        var results = await parser.ParseAsync(rows, cancellationToken);
        if (results.Count != rows.Count)
        {
            throw new InvalidOperationException($"The parser of {import.ProcessType} returned {results.Count} results for {rows.Count} rows.");
        }

        var candidates = new List<ImportCandidate<TRow>>(rows.Count);
        var failures = new List<FailedUploadRow>();
        var language = process.Language ?? Texts.DefaultLanguage;
        for (var i = 0; i < rows.Count; i++)
        {
            var (seq, result) = (rows[i].RowNumber, results[i]);
            var recordKey = string.IsNullOrWhiteSpace(result.RecordKey) ? $"Row {seq}" : result.RecordKey;
            if (result.Error is null && result.Row is { } row)
            {
                candidates.Add(new ImportCandidate<TRow>(seq, recordKey, row));
            }
            else
            {
                // Kept in the language of the request that started the upload, as its error workbook is written.
                failures.Add(new FailedUploadRow(seq, recordKey, Texts.Default.Translate(Texts.ReasonPrefix, result.Error ?? "The row could not be read.", language)));
            }
        }

        return new ParsedChunk(process.Id, afterRow, rows, candidates, failures, rows[^1].RowNumber);
    }

    private async Task<IImportRowParser<TRow>> ParserAsync(BulkProcess process, UploadParameters parameters, CancellationToken cancellationToken)
    {
        if (_parser is { } cached && cached.ProcessId == process.Id)
        {
            return cached.Parser;
        }

        var parser = await import.CreateParserAsync(new ImportParserContext(process, parameters), cancellationToken);
        _parser = (process.Id, parser);
        return parser;
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
        var format = UploadParameters.Read(process).Format;
        var file = process.Files.FirstOrDefault(f => f.Kind == ProcessFileKind.Upload && f.PurgedAt is null)
            ?? throw new ProcessInputException("The uploaded file is no longer available; upload it again.");
        Stream content;
        try
        {
            content = await files.OpenReadAsync(file.StorageKey, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            throw new ProcessInputException("The uploaded file is no longer available; upload it again.");
        }

        return new UploadRows(process.Id, content, reader.ReadRowsAsync(content, format, cancellationToken).GetAsyncEnumerator(cancellationToken));
    }

    private async ValueTask CloseUploadAsync()
    {
        if (_upload is not null)
        {
            await _upload.DisposeAsync();
            _upload = null;
        }
    }

    /// <summary>A chunk's rows as read, and parsed: the candidates for the registrar and the rows the parser refused, in file order.</summary>
    private sealed record ParsedChunk(
        Guid ProcessId, long AfterRow, IReadOnlyList<SpreadsheetRow> Rows, IReadOnlyList<ImportCandidate<TRow>> Candidates,
        IReadOnlyList<FailedUploadRow> Failures, long LastRow);

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

        /// <summary>The data rows, counted up to <paramref name="limit"/> (a file past it is refused without reading the rest).</summary>
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
