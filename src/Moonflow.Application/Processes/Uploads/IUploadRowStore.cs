using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes.Uploads;

/// <summary>
/// The rows of uploads that failed, on the runner's connection and transaction: their items, and their cells as
/// uploaded until the process ends, for its error workbook.
/// </summary>
public interface IUploadRowStore
{
    /// <summary>
    /// Writes a failed item for each of <paramref name="failed"/> (rows the parser refused) and keeps the cells of
    /// <paramref name="kept"/> (failed rows the error workbook will list), both with binary COPY.
    /// </summary>
    Task RecordFailuresAsync(Guid processId, IReadOnlyList<FailedUploadRow> failed, IReadOnlyList<SpreadsheetRow> kept, CancellationToken cancellationToken);

    /// <summary>
    /// The kept rows as uploaded, under the header row, each with its item's reason in an <c>Error</c> column: ready to fix
    /// and upload again. Streamed, so its memory does not grow with the rows.
    /// </summary>
    Task<StoredFile> WriteErrorWorkbookAsync(BulkProcess process, IReadOnlyList<string?> headers, CancellationToken cancellationToken);

    /// <summary>Drops the kept rows once the process has ended.</summary>
    Task DeleteAsync(Guid processId, CancellationToken cancellationToken);
}

/// <summary>A row the parser refused: its key for the item and the reason.</summary>
public sealed record FailedUploadRow(long Seq, string RecordKey, string Error);
