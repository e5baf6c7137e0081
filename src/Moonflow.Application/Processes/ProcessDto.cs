using System.Linq.Expressions;
using System.Text.Json;
using Moonflow.Application.Common.Localization;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes;

public sealed record ProcessDto(
    Guid Id,
    ProcessType Type,
    string Label,
    ProcessStatus Status,
    Guid RequestedBy,
    string RequestedByName,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    long Total,
    long Processed,
    long Succeeded,
    long Failed,
    int ProgressPercent,
    bool CancellationRequested,
    string? FailureReason,
    JsonElement Parameters,
    IReadOnlyList<ProcessFileDto> Files);

public sealed record ProcessFileDto(
    Guid Id, ProcessFileKind Kind, string FileName, string ContentType, long SizeBytes, DateTimeOffset ExpiresAt, bool Expired);

public sealed record ProcessItemDto(long Seq, string RecordKey, ProcessItemOutcome Outcome, string? Message);

internal static class ProcessVisibility
{
    /// <summary>Requesters see their own processes; holders of <see cref="Permissions.ProcessesReadAll"/> see the tenant's.</summary>
    public static IQueryable<BulkProcess> VisibleTo(this IQueryable<BulkProcess> query, ICurrentUser user) =>
        user.Has(Permissions.ProcessesReadAll) ? query : query.Where(p => p.RequestedBy == user.ActorId);

    /// <summary>The process as the API shows it; with <paramref name="texts"/>, its label in the reader's language (else as first written).</summary>
    public static ProcessDto ToDto(this BulkProcess p, DateTimeOffset now, Texts? texts = null) => new(
        p.Id, p.Type, texts?.Say(p.LabelText, p.Label) ?? p.Label, p.Status, p.RequestedBy, p.RequestedByName, p.QueuedAt, p.StartedAt, p.FinishedAt,
        p.Total, p.Processed, p.Succeeded, p.Failed, p.ProgressPercent, p.CancellationRequested, p.FailureReason, ParseParameters(p.Parameters),
        p.Files.Select(f => new ProcessFileDto(f.Id, f.Kind, f.FileName, f.ContentType, f.SizeBytes, f.ExpiresAt, f.IsExpired(now))).ToList());

    private static JsonElement ParseParameters(string json)
    {
        using var document = JsonDocument.Parse(string.IsNullOrEmpty(json) ? "{}" : json);
        return document.RootElement.Clone();
    }

    public static readonly Expression<Func<ProcessItem, ProcessItemDto>> ItemProjection =
        i => new ProcessItemDto(i.Seq, i.RecordKey, i.Outcome, i.Message);
}
