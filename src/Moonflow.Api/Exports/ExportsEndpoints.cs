using System.Text.Json;
using MediatR;
using Moonflow.Api.Infrastructure;
using Moonflow.Api.Infrastructure.OpenApi;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Exports;
using Moonflow.Application.Exports.GetExport;
using Moonflow.Application.Exports.ListExports;
using Moonflow.Application.Exports.ListExportTrays;
using Moonflow.Application.Exports.PreviewExport;
using Moonflow.Application.Exports.RequestExport;
using Moonflow.Application.Exports.RunDeferredExports;
using Moonflow.Domain.Exports;

namespace Moonflow.Api.Exports;

internal static class ExportsEndpoints
{
    public static void MapExportsEndpoints(this RouteGroupBuilder api)
    {
        var exports = api.MapGroup("/exports").WithTag("Downloads", "Tray downloads (xlsx or csv): online when small, otherwise deferred to the tenant's nightly window; the files appear in the process log.");

        exports.MapGet("/trays", (IMediator mediator, CancellationToken ct) => mediator.Send(new ListExportTraysQuery(), ct))
            .WithName("ListExportTrays")
            .WithSummary("Every downloadable tray: its online/deferred policy, formats, columns and filters.")
            .Produces<IReadOnlyList<TrayDto>>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        exports.MapPost("/preview", (ExportPreviewBody body, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new PreviewExportQuery(body.Tray ?? string.Empty, body.From, body.To, body.Filters), ct))
            .WithName("PreviewExport")
            .WithSummary("Before confirming: the mode a download would run in (online or deferred), why, the estimated rows and when it would run; or the problem the request would get.")
            .Produces<ExportPreview>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "range_too_long")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "export_in_progress")
            .ProducesProblemCodes(StatusCodes.Status429TooManyRequests, "deferred_quota_exceeded");

        exports.MapPost("/", async (ExportRequestBody body, IMediator mediator, CancellationToken ct) =>
            {
                var accepted = await mediator.Send(
                    new RequestExportCommand(new ExportParameters(body.Tray ?? string.Empty, body.From, body.To, body.Format, body.Columns, body.Filters)), ct);
                return TypedResults.AcceptedAtRoute(accepted, "GetExport", new { id = accepted.ExportId });
            })
            .WithName("RequestExport")
            .WithSummary("Download a tray (xlsx or csv): online at once when within the tray's limits, otherwise deferred to the nightly window. One request per tray at a time (409), one deferred download per tray per day (429). The file appears in the process log.")
            .WithIdempotency()
            .Produces<ExportAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "range_too_long")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "export_in_progress")
            .ProducesProblemCodes(StatusCodes.Status429TooManyRequests, "deferred_quota_exceeded");

        exports.MapGet("/", (string? tray, string? cursor, int? limit, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListExportsQuery(tray, cursor, limit ?? Cursor.DefaultLimit), ct))
            .WithName("ListExports")
            .WithSummary("Download history, newest first.")
            .Produces<Page<ExportDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        exports.MapGet("/{id:guid}", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetExportQuery(id), ct))
            .WithName("GetExport")
            .WithSummary("One download: status, mode, rows and, once ready, the file (downloaded through the process log at 'fileUrl').")
            .Produces<ExportDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        exports.MapPost("/deferred/run", (IMediator mediator, CancellationToken ct) => mediator.Send(new RunDeferredExportsCommand(), ct))
            .WithName("RunDeferredExports")
            .WithSummary("Admins: run the tenant's pending deferred downloads now instead of in the nightly window. Returns the export ids started.")
            .Produces<IReadOnlyList<Guid>>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }
}

/// <summary>Body of POST /exports/preview. Dates are calendar days (yyyy-MM-dd) in the tenant's time zone, both included.</summary>
[ValidatedAs(typeof(PreviewExportQuery))]
internal sealed record ExportPreviewBody(string? Tray, DateOnly From, DateOnly To, JsonElement? Filters);

/// <summary>Body of POST /exports.</summary>
[ValidatedAs(typeof(RequestExportCommand))]
internal sealed record ExportRequestBody(string? Tray, DateOnly From, DateOnly To, ExportFormat Format, IReadOnlyList<string>? Columns, JsonElement? Filters);
