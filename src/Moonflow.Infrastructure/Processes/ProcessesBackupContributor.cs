using System.Runtime.CompilerServices;
using Moonflow.Application.Common.Backups;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Application.Common.Trays;
using Moonflow.Domain.Processes;
using Npgsql;

namespace Moonflow.Infrastructure.Processes;

/// <summary>The process log as a dataset of the backup (<c>processes.xlsx</c>): every process of the tenant, oldest first, streamed.</summary>
internal sealed class ProcessesBackupContributor(NpgsqlDataSource dataSource, ISpreadsheetWriter workbooks) : IBackupContributor
{
    private static readonly SpreadsheetColumn[] Columns =
    [
        new("Id", CellKind.Text, 38),
        new("Tipo", CellKind.Text, 22),
        new("Descripción", CellKind.Text, 50),
        new("Estado", CellKind.Text, 22),
        new("Solicitado por", CellKind.Text, 30),
        new("En cola", CellKind.DateTime, 20),
        new("Inicio", CellKind.DateTime, 20),
        new("Fin", CellKind.DateTime, 20),
        new("Total", CellKind.Integer, 12),
        new("Exitosos", CellKind.Integer, 12),
        new("Fallidos", CellKind.Integer, 12),
        new("Motivo del fallo", CellKind.Text, 60),
    ];

    public int Order => 20;

    public Task<long> EstimateEntriesAsync(BackupScope scope, CancellationToken cancellationToken) => Task.FromResult(1L);

    public Task ContributeAsync(BackupScope scope, IBackupArchive archive, CancellationToken cancellationToken) =>
        archive.AddDatasetAsync(
            string.Empty,
            "processes.xlsx",
            async (stream, ct) =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                await using var command = new NpgsqlCommand(
                    """
                    SELECT id, type, label, status, requested_by_name, queued_at, started_at, finished_at, total, succeeded, failed, failure_reason
                    FROM processes.bulk_processes WHERE tenant_id = @tenant ORDER BY queued_at, id
                    """,
                    connection);
                command.Parameters.AddWithValue("tenant", scope.TenantId);
                command.CommandTimeout = 600;
                return await workbooks.WriteAsync(stream, SpreadsheetFormat.Xlsx, "processes", Columns, RowsAsync(command, scope.Zone, ct), ct);
            },
            cancellationToken);

    private static async IAsyncEnumerable<object?[]> RowsAsync(NpgsqlCommand command, TimeZoneInfo zone, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return
            [
                reader.GetGuid(0).ToString(),
                ApiName<ProcessType>(reader.GetString(1)),
                reader.GetString(2),
                ApiName<ProcessStatus>(reader.GetString(3)),
                reader.GetString(4),
                Local(reader, 5, zone),
                Local(reader, 6, zone),
                Local(reader, 7, zone),
                reader.GetInt64(8),
                reader.GetInt64(9),
                reader.GetInt64(10),
                reader.IsDBNull(11) ? null : reader.GetString(11),
            ];
        }
    }

    /// <summary>Enums as the API names them (stored by their .NET name).</summary>
    private static string ApiName<TEnum>(string stored)
        where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(stored, out var value) ? TrayFilters.ApiName(value) : stored;

    private static object? Local(NpgsqlDataReader reader, int ordinal, TimeZoneInfo zone) =>
        reader.IsDBNull(ordinal) ? null : TimeZoneInfo.ConvertTime(reader.GetFieldValue<DateTimeOffset>(ordinal), zone);
}
