using MediatR;
using Moonflow.Api.Infrastructure.OpenApi;
using Moonflow.Api.Infrastructure;
using Moonflow.Application.Backups;
using Moonflow.Application.Backups.DownloadBackup;
using Moonflow.Application.Backups.GetBackup;
using Moonflow.Application.Backups.IssueBackupLink;
using Moonflow.Application.Backups.ListBackups;
using Moonflow.Application.Backups.ListOverdueBackups;
using Moonflow.Application.Backups.RequestBackup;

namespace Moonflow.Api.Backups;

internal static class BackupsEndpoints
{
    public static void MapBackupsEndpoints(this RouteGroupBuilder api)
    {
        var backups = api.MapGroup("/backups").WithTag("Data backup", "Backups of the whole tenant (a zip of its documents and datasets with a hashed manifest): requested within a yearly quota, generated in the background, downloaded through an emailed signed link.");

        backups.MapGet("/", (IMediator mediator, CancellationToken ct) => mediator.Send(new ListBackupsQuery(), ct))
            .WithName("ListBackups")
            .WithSummary("Users granted backups.request: the tenant's backups, newest first, and its quota now (used, remaining, nextAllowedAt).")
            .Produces<BackupHistory>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        backups.MapPost("/", async (IMediator mediator, CancellationToken ct) =>
            {
                var accepted = await mediator.Send(new RequestBackupCommand(), ct);
                return TypedResults.AcceptedAtRoute(accepted, "GetBackup", new { id = accepted.BackupId });
            })
            .WithName("RequestBackup")
            .WithSummary("Request a backup of the whole tenant: at most 2 in any 360 days, at least 180 days apart (429 backup_quota_exceeded with Retry-After and nextAllowedAt). It is generated in the background; when ready, a download link is emailed to you.")
            .WithIdempotency()
            .Produces<BackupAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblemCodes(StatusCodes.Status429TooManyRequests, "backup_quota_exceeded");

        backups.MapGet("/overdue", (IMediator mediator, CancellationToken ct) => mediator.Send(new ListOverdueBackupsQuery(), ct))
            .WithName("ListOverdueBackups")
            .WithSummary("Admins (support): backups whose email has not gone out 48 hours after the request, oldest first.")
            .Produces<IReadOnlyList<BackupDto>>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        backups.MapGet("/download", async (string? token, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var file = await mediator.Send(
                    new DownloadBackupCommand(token, http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString(), http.Request.Headers.Range.ToString() is { Length: > 0 } range ? range : null),
                    ct);
                return TypedResults.Stream(file.Content, file.ContentType, file.FileName, enableRangeProcessing: true);
            })
            .AllowAnonymous()
            .WithName("DownloadBackup")
            .WithSummary("The emailed link (no bearer token): the backup's zip, with range requests (Accept-Ranges: bytes, 206) so a large download can resume. A changed link → 403 link_invalid; an expired one → 410 link_expired; an archive no longer kept → 410 backup_expired.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .Produces(StatusCodes.Status206PartialContent, contentType: "application/zip")
            .ProducesProblemCodes(StatusCodes.Status403Forbidden, "link_invalid")
            .ProducesProblemCodes(StatusCodes.Status410Gone, "link_expired", "backup_expired");

        backups.MapGet("/{id:guid}", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetBackupQuery(id), ct))
            .WithName("GetBackup")
            .WithSummary("One backup: status, entries and size, how long its archive is kept, its link's expiry, when it was emailed and every download (when, IP, user agent).")
            .Produces<BackupDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        backups.MapPost("/{id:guid}/link", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new IssueBackupLinkCommand(id), ct))
            .WithName("IssueBackupLink")
            .WithSummary("A fresh download link, emailed to the user who requested the backup, while its archive is kept (Backups:FileRetention); after that 410 backup_expired.")
            .Produces<BackupLinkIssued>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "backup_not_ready")
            .ProducesProblemCodes(StatusCodes.Status410Gone, "backup_expired");
    }
}
