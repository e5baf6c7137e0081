using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Moonflow.Api.Infrastructure.OpenApi;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Application.Processes.Uploads;

namespace Moonflow.Api.Infrastructure;

internal static class UploadEndpoints
{
    /// <summary>
    /// Maps an import's upload endpoint: a POST of a multipart form (field <c>file</c>, optional <c>dryRun</c>, which the
    /// query string may give too) that sends <paramref name="command"/> through the mediator, so authorization, logging and
    /// validation are the pipeline's; the command's handler receives the file. The server's body limit is the file limit
    /// plus the multipart envelope, <c>Idempotency-Key</c> is accepted (the same file replays the first answer), and the
    /// answer is 202 with the process.
    /// </summary>
    public static RouteHandlerBuilder MapUpload<TCommand>(
        this RouteGroupBuilder group, string pattern, string name, Func<IUploadedFile, bool, TCommand> command)
        where TCommand : IRequest<ProcessAccepted> =>
        group.MapUpload<TCommand, UploadForm>(pattern, name, command);

    /// <summary>
    /// As <see cref="MapUpload{TCommand}"/>, for an import whose form carries its own fields beside <c>file</c> and
    /// <c>dryRun</c> (a lot's name, key fields): <typeparamref name="TForm"/> documents them; the import reads them
    /// through <see cref="ImportForm"/> once the file is in.
    /// </summary>
    public static RouteHandlerBuilder MapUpload<TCommand, TForm>(
        this RouteGroupBuilder group, string pattern, string name, Func<IUploadedFile, bool, TCommand> command)
        where TCommand : IRequest<ProcessAccepted>
        where TForm : notnull
    {
        var options = Options(group);
        return group.MapPost(pattern, (bool? dryRun, HttpContext http, IFileStorage storage, IMediator mediator, CancellationToken ct) =>
                AcceptAsync(mediator, command(new MultipartUpload(http, storage, options), dryRun ?? false), ct))
            .AsUpload<TForm>(name, options);
    }

    /// <summary>
    /// As <see cref="MapUpload{TCommand, TForm}(RouteGroupBuilder, string, string, Func{IUploadedFile, bool, TCommand})"/>, for an
    /// import that names what it writes in its route (an entity's records: <c>/entities/{entityId:guid}</c>): the route's
    /// values are bound to <typeparamref name="TRoute"/> (<c>[AsParameters]</c>, so they are typed, checked and documented)
    /// and given to the command.
    /// </summary>
    public static RouteHandlerBuilder MapUpload<TCommand, TForm, TRoute>(
        this RouteGroupBuilder group, string pattern, string name, Func<IUploadedFile, bool, TRoute, TCommand> command)
        where TCommand : IRequest<ProcessAccepted>
        where TForm : notnull
    {
        var options = Options(group);
        return group.MapPost(pattern, ([AsParameters] TRoute route, bool? dryRun, HttpContext http, IFileStorage storage, IMediator mediator, CancellationToken ct) =>
                AcceptAsync(mediator, command(new MultipartUpload(http, storage, options), dryRun ?? false, route), ct))
            .AsUpload<TForm>(name, options);
    }

    private static UploadOptions Options(RouteGroupBuilder group) =>
        ((IEndpointRouteBuilder)group).ServiceProvider.GetRequiredService<IOptions<UploadOptions>>().Value;

    private static async Task<AcceptedAtRoute<ProcessAccepted>> AcceptAsync<TCommand>(IMediator mediator, TCommand command, CancellationToken ct)
        where TCommand : IRequest<ProcessAccepted>
    {
        var accepted = await mediator.Send(command, ct);
        return TypedResults.AcceptedAtRoute(accepted, "GetProcess", new { id = accepted.ProcessId });
    }

    private static RouteHandlerBuilder AsUpload<TForm>(this RouteHandlerBuilder builder, string name, UploadOptions options)
        where TForm : notnull
    {
        var bodyLimit = options.MaxBytes + MultipartUpload.EnvelopeBytes;
        return builder
            .WithName(name)
            .Accepts<TForm>("multipart/form-data")
            .DisableAntiforgery()
            .WithMetadata(new UploadBodyLimit(bodyLimit))
            .WithFormOptions(multipartBodyLengthLimit: bodyLimit)
            .WithIdempotency(forUpload: true)
            .Produces<ProcessAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblemCodes(StatusCodes.Status413PayloadTooLarge, "file_too_large")
            .ProducesProblemCodes(StatusCodes.Status415UnsupportedMediaType, "unsupported_file_type")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "malformed_file");
    }

    /// <summary>
    /// Declares an endpoint that reads a multipart form of <paramref name="files"/> files through <see cref="MultipartUpload"/>
    /// (a document upload): its body limit is that many files at the upload limit plus the envelope, and its refusals are
    /// those of the upload pipeline (413 <c>file_too_large</c>, 415 <c>unsupported_file_type</c>/<c>content_type_mismatch</c>,
    /// 422 <c>malformed_xml</c>); a 409 is the endpoint's own to declare.
    /// </summary>
    public static RouteHandlerBuilder AcceptsUploadForm<TForm>(this RouteHandlerBuilder builder, IEndpointRouteBuilder routes, int files)
        where TForm : notnull
    {
        var options = routes.ServiceProvider.GetRequiredService<IOptions<UploadOptions>>().Value;
        var bodyLimit = MultipartUpload.BodyLimit(options, files);
        return builder
            .Accepts<TForm>("multipart/form-data")
            .DisableAntiforgery()
            .WithMetadata(new UploadBodyLimit(bodyLimit))
            .WithFormOptions(multipartBodyLengthLimit: bodyLimit)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblemCodes(StatusCodes.Status413PayloadTooLarge, "file_too_large")
            .ProducesProblemCodes(StatusCodes.Status415UnsupportedMediaType, "unsupported_file_type", "content_type_mismatch")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "malformed_xml");
    }

    /// <summary>Kestrel's body limit for this endpoint (routing applies it before the endpoint runs).</summary>
    private sealed class UploadBodyLimit(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize { get; } = bytes;
    }
}

/// <summary>The multipart form of an upload.</summary>
internal sealed class UploadForm
{
    /// <summary>The spreadsheet: .xlsx or .csv, told by its content.</summary>
    public required IFormFile File { get; init; }

    /// <summary>true: check every row and report what would happen, registering nothing.</summary>
    public bool? DryRun { get; init; }
}
