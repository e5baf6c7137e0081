using System.Text.Json;
using Moonflow.Domain.Exports;

namespace Moonflow.Application.Exports;

public sealed record ExportDto(
    Guid Id,
    string Tray,
    DateOnly From,
    DateOnly To,
    ExportFormat Format,
    IReadOnlyList<string> Columns,
    JsonElement Filters,
    ExportMode Mode,
    string Reason,
    long EstimatedRows,
    DateTimeOffset? ScheduledFor,
    DateTimeOffset RequestedAt,
    Guid RequestedBy,
    Guid ProcessId,
    ExportStatus Status,
    long? RowCount,
    Guid? FileId,
    string? FileUrl,
    DateTimeOffset? FinishedAt)
{
    public static ExportDto Of(ExportRequest e)
    {
        using var filters = JsonDocument.Parse(string.IsNullOrEmpty(e.Filters) ? "{}" : e.Filters);
        return new ExportDto(
            e.Id, e.Tray, e.From, e.To, e.Format, e.Columns, filters.RootElement.Clone(), e.Mode, e.Reason, e.EstimatedRows, e.ScheduledFor,
            e.RequestedAt, e.RequestedBy, e.ProcessId, e.Status, e.RowCount, e.FileId,
            e.FileId is { } file ? $"/api/v1/processes/{e.ProcessId}/files/{file}" : null, e.FinishedAt);
    }
}

/// <summary>What a request would get, told before the user confirms.</summary>
public sealed record ExportPreview(ExportMode Mode, string Reason, long EstimatedRows, DateTimeOffset? ScheduledFor);

/// <summary>The answer to an accepted download: 202 with the export and the process that runs it.</summary>
public sealed record ExportAccepted(Guid ExportId, Guid ProcessId, ExportMode Mode, DateTimeOffset? ScheduledFor);
