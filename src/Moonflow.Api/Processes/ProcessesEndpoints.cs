using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using MediatR;
using Moonflow.Api.Infrastructure;
using Moonflow.Api.Infrastructure.OpenApi;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Processes;
using Moonflow.Application.Processes.CancelProcess;
using Moonflow.Application.Processes.DownloadProcessFile;
using Moonflow.Application.Processes.GetProcess;
using Moonflow.Application.Processes.ListProcesses;
using Moonflow.Application.Processes.ListProcessItems;
using Moonflow.Domain.Processes;

namespace Moonflow.Api.Processes;

internal static class ProcessesEndpoints
{
    public static void MapProcessesEndpoints(this RouteGroupBuilder api)
    {
        var processes = api.MapGroup("/processes").WithTag("Process log", "Every bulk action, upload and download runs as a process: its status, counts, progress, per-record items and files, and a live event stream.");

        processes.MapGet("/", (
                [EnumValues(typeof(ProcessType))] string? type, [EnumValues(typeof(ProcessStatus))] string? status, DateTimeOffset? from, DateTimeOffset? to, Guid? requestedBy, string? cursor, int? limit,
                IMediator mediator, CancellationToken ct) =>
                mediator.Send(
                    new ListProcessesQuery(
                        QueryEnum.Parse<ProcessType>(type, "type"), QueryEnum.Parse<ProcessStatus>(status, "status"), from, to, requestedBy,
                        cursor, limit ?? Cursor.DefaultLimit),
                    ct))
            .WithName("ListProcesses")
            .WithSummary("The process log, newest first: the caller's processes, or the whole tenant's for admins.")
            .Produces<Page<ProcessDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        processes.MapGet("/{id:guid}", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetProcessQuery(id), ct))
            .WithName("GetProcess")
            .WithSummary("One process: status, counts, progress and files.")
            .Produces<ProcessDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        processes.MapGet("/{id:guid}/items", (Guid id, [EnumValues(typeof(ProcessItemOutcome))] string? outcome, long? after, int? limit, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListProcessItemsQuery(id, QueryEnum.Parse<ProcessItemOutcome>(outcome, "outcome"), after, limit ?? Cursor.DefaultLimit), ct))
            .WithName("ListProcessItems")
            .WithSummary("Per-record details of a process, in order; pass 'nextAfter' as 'after' for the next page.")
            .Produces<ItemsPage>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        processes.MapGet("/{id:guid}/files/{fileId:guid}", async (Guid id, Guid fileId, IMediator mediator, CancellationToken ct) =>
            {
                var file = await mediator.Send(new DownloadProcessFileQuery(id, fileId), ct);
                return TypedResults.Stream(file.Content, file.ContentType, file.FileName);
            })
            .WithName("DownloadProcessFile")
            .WithSummary("Download a result or error file of a process (streamed).")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblemCodes(StatusCodes.Status410Gone, "file_expired");

        processes.MapPost("/{id:guid}/cancel", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new CancelProcessCommand(id), ct))
            .WithName("CancelProcess")
            .WithSummary("Cancel a queued or running process; work already committed stays.")
            .Produces<ProcessDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "process_not_active");

        processes.MapGet("/{id:guid}/events", async (Guid id, IMediator mediator, CancellationToken ct) =>
            {
                var first = await mediator.Send(new GetProcessQuery(id), ct); // 404 before the stream starts
                return TypedResults.ServerSentEvents(Watch(first, mediator, ct));
            })
            .WithName("WatchProcess")
            .WithSummary("Server-sent events: 'progress' whenever counts change, then one 'finished' with the final state.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>As often as a long step writes its progress (<c>Processes:ProgressInterval</c>'s default).</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Polls the log (stateless: any node can serve the stream) and emits only changes.</summary>
    private static async IAsyncEnumerable<SseItem<ProcessDto>> Watch(ProcessDto current, IMediator mediator, [EnumeratorCancellation] CancellationToken ct)
    {
        ProcessDto? sent = null;
        while (!ct.IsCancellationRequested)
        {
            if (current.Status is ProcessStatus.Queued or ProcessStatus.Running)
            {
                if (sent is null || sent.Processed != current.Processed || sent.Total != current.Total || sent.Status != current.Status)
                {
                    yield return new SseItem<ProcessDto>(current, "progress") { EventId = current.Processed.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                    sent = current;
                }
            }
            else
            {
                yield return new SseItem<ProcessDto>(current, "finished");
                yield break;
            }

            await Task.Delay(PollInterval, ct);
            current = await mediator.Send(new GetProcessQuery(current.Id), ct);
        }
    }
}
