using System.Text.Json;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes.Uploads;

/// <summary>
/// What one kind of upload plugs into the pipeline: its columns, its parser and (in Infrastructure) its
/// <see cref="IImportRegistrar{TRow}"/>. Everything else — receiving and sniffing the file, the size and row limits,
/// header matching, the missing-columns 400, chunked reading with read-ahead, items, checkpoints and resume, the error
/// workbook and the dry run — is the pipeline's (<see cref="UploadImportStarter"/>, <see cref="UploadImportExecutor{TRow}"/>).
/// Implementations are found by a scan, which registers an executor for each; <typeparamref name="TRow"/> is the
/// typed row the registrar takes, one per import.
/// </summary>
public interface IImportDefinition<TRow>
    where TRow : notnull
{
    ProcessType ProcessType { get; }

    /// <summary>
    /// The columns of the format, in template order. Most imports have one fixed list; one whose columns depend on the
    /// request (a tenant-defined entity's fields, the key fields chosen for an update) builds them from its settings.
    /// </summary>
    ValueTask<IReadOnlyList<ImportColumn>> ColumnsAsync(ImportSettings settings, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the header row must hold exactly the columns (an update by chosen keys and fields: a column nobody chose
    /// would be ignored silently, so it is refused). Otherwise unknown columns are left alone and only required ones are checked.
    /// </summary>
    bool HeadersMustMatchExactly => false;

    /// <summary>The process log's label for an upload of <paramref name="fileName"/>.</summary>
    string Label(string fileName);

    /// <summary>The parser of one run of one upload (a run parses every chunk with it).</summary>
    Task<IImportRowParser<TRow>> CreateParserAsync(ImportParserContext context, CancellationToken cancellationToken);
}

/// <summary>
/// An import's own choices for one upload (a lot, an entity, key fields, a subcategory), as its command gave them to
/// <see cref="UploadImportStarter.StartAsync{TRow}"/>; kept in the process's parameters.
/// </summary>
public readonly record struct ImportSettings(JsonElement? Value)
{
    public T Read<T>() =>
        (Value is { } value ? value.Deserialize<T>(BulkProcessStarter.ParameterJson) : default)
        ?? throw new InvalidOperationException($"The upload has no {typeof(T).Name}.");
}

/// <summary>The upload a parser is made for: the process and its parameters (header positions by column key, settings).</summary>
public sealed record ImportParserContext(BulkProcess Process, UploadParameters Upload);

/// <summary>Turns an upload's cells into typed rows.</summary>
public interface IImportRowParser<TRow>
    where TRow : notnull
{
    /// <summary>
    /// One result per row, in the same order: the typed row, or the reason (a sentence for the person who uploaded the
    /// file) it cannot be imported. It runs while the database registers the previous chunk, so it must not touch the
    /// runner's transaction: lookups of other data go through ports that read on a connection of their own.
    /// </summary>
    Task<IReadOnlyList<ImportRowResult<TRow>>> ParseAsync(IReadOnlyList<SpreadsheetRow> rows, CancellationToken cancellationToken);
}

/// <summary>A parsed row, or why it cannot be imported. <see cref="RecordKey"/> names the row in the process items.</summary>
public readonly record struct ImportRowResult<TRow>(string RecordKey, TRow? Row, string? Error)
    where TRow : notnull
{
    public static ImportRowResult<TRow> Valid(string recordKey, TRow row) => new(recordKey, row, null);

    public static ImportRowResult<TRow> Invalid(string recordKey, string error) => new(recordKey, default, error);
}

/// <summary>
/// Registers a chunk of typed rows set-based, inside the runner's transaction: binary COPY into a staging table, then one
/// statement that applies them and writes every row's item (<c>processes.process_items</c>, the engine's published
/// table) — never a tracked entity per row. In a dry run it changes nothing: the items say what would happen
/// (<see cref="ProcessItemOutcome.WouldCreate"/>, <see cref="ProcessItemOutcome.WouldUpdate"/>,
/// <see cref="ProcessItemOutcome.Duplicate"/>, <see cref="ProcessItemOutcome.Failed"/>).
/// </summary>
public interface IImportRegistrar<TRow>
    where TRow : notnull
{
    Task<ImportRegistration> RegisterAsync(ImportBatch<TRow> batch, CancellationToken cancellationToken);
}

/// <summary>A chunk's valid rows, in file order.</summary>
public sealed record ImportBatch<TRow>(BulkProcess Process, IReadOnlyList<ImportCandidate<TRow>> Rows, bool DryRun)
    where TRow : notnull;

/// <param name="Seq">The row's number in the file: its item's sequence number.</param>
public readonly record struct ImportCandidate<TRow>(long Seq, string RecordKey, TRow Row)
    where TRow : notnull;

/// <summary>
/// What a registrar did: how many rows did not fail (created, updated, duplicate, skipped, or their dry-run
/// counterparts), and the rows it recorded as failed (their cells are kept for the error workbook).
/// </summary>
public sealed record ImportRegistration(long Succeeded, IReadOnlyList<long> FailedSeqs)
{
    public static readonly ImportRegistration Nothing = new(0, []);
}
