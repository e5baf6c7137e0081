using Moonflow.Application.Common.Backups;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Common.Trays;

namespace Moonflow.Application.Backups.Contributors;

/// <summary>
/// Every downloadable tray is a dataset of the backup: <c>{tray}.xlsx</c> (clients, payment-orders, interactions, and any tray a
/// module defines later) with all its columns and all its rows, whatever their date, written by the same tray file writer as
/// downloads, from the same definition, so a backup's sheet and a download cannot disagree.
/// </summary>
public sealed class TrayDatasetsContributor(IEnumerable<ITraySource> trays, ITrayFileWriter writer) : IBackupContributor
{
    /// <summary>Every date a row can carry: the tray's range is only how downloads are asked for.</summary>
    private static readonly DateOnly Earliest = new(1900, 1, 1);

    private static readonly DateOnly Latest = new(2199, 12, 31);

    public int Order => 10;

    public Task<long> EstimateEntriesAsync(BackupScope scope, CancellationToken cancellationToken) => Task.FromResult((long)trays.Count());

    public async Task ContributeAsync(BackupScope scope, IBackupArchive archive, CancellationToken cancellationToken)
    {
        foreach (var tray in trays.OrderBy(t => t.Tray, StringComparer.Ordinal))
        {
            var file = new TrayFile(tray.Tray, scope.TenantId, new TrayRange(Earliest, Latest, scope.Zone), tray.BindFilters(null), tray.Columns, SpreadsheetFormat.Xlsx);
            await archive.AddDatasetAsync(string.Empty, $"{tray.Tray}.xlsx", (stream, ct) => writer.WriteAsync(stream, file, null, ct), cancellationToken);
        }
    }
}
