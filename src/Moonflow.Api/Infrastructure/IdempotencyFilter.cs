using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MediatR;
using Microsoft.Extensions.Options;
using Moonflow.Api.Infrastructure.OpenApi;
using Moonflow.Application.Common.Security;
using Moonflow.Infrastructure.Idempotency;

namespace Moonflow.Api.Infrastructure;

/// <summary>
/// <c>Idempotency-Key</c> on POSTs that start work: the same key with the same body replays the first answer
/// (status, body, Location); the same key with another body is a 422. Only successful answers are kept.
/// An upload's body is a file read only once the command runs, so on upload endpoints the key is claimed then, with
/// the hash of the file's bytes as they streamed in (see <see cref="UploadIdempotency"/>).
/// </summary>
internal sealed class IdempotencyFilter(IdempotencyStore store, ICurrentUser caller, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    : IEndpointFilter
{
    public const string HeaderName = "Idempotency-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[HeaderName].ToString();
        if (string.IsNullOrEmpty(key) || !caller.IsAuthenticated)
        {
            return await next(context);
        }

        if (key.Length > 200)
        {
            throw new Moonflow.Domain.Common.DomainValidationException("idempotencyKey", "'Idempotency-Key' must be at most 200 characters.");
        }

        if (http.GetEndpoint()?.Metadata.GetMetadata<AcceptsIdempotencyKey>() is { ForUpload: true })
        {
            return await InvokeForUploadAsync(context, next, key);
        }

        var hash = RequestHash(http, context.Arguments);
        var existing = await store.ClaimAsync(caller.TenantId, caller.ActorId, key, hash, http.RequestAborted);
        if (existing is not null)
        {
            return Replay(existing, hash);
        }

        try
        {
            var result = await next(context);
            return new RecordingResult(result as IResult ?? Results.Ok(result), store, caller.TenantId, caller.ActorId, key);
        }
        catch
        {
            await store.ReleaseAsync(caller.TenantId, caller.ActorId, key, CancellationToken.None);
            throw;
        }
    }

    private async ValueTask<object?> InvokeForUploadAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, string key)
    {
        var http = context.HttpContext;
        var claim = new UploadIdempotency(store, caller.TenantId, caller.ActorId, key, $"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}");
        http.Features.Set(claim);
        try
        {
            var result = await next(context);
            return claim.Claimed ? new RecordingResult(result as IResult ?? Results.Ok(result), store, caller.TenantId, caller.ActorId, key) : result;
        }
        catch (UploadIdempotency.ReplayException replay)
        {
            return Replay(replay.Record, replay.Hash);
        }
        catch
        {
            if (claim.Claimed)
            {
                await store.ReleaseAsync(caller.TenantId, caller.ActorId, key, CancellationToken.None);
            }

            throw;
        }
    }

    private static IResult Replay(IdempotencyRecord record, string hash)
    {
        if (record.RequestHash != hash)
        {
            return Results.Problem(ProblemDetailsExceptionHandler.Problem(
                422, "idempotency_key_reused", "The Idempotency-Key was used for another request.",
                "This key was first used with a different request body; use a new key for a new request."));
        }

        if (record.StatusCode is not { } status)
        {
            return Results.Problem(ProblemDetailsExceptionHandler.Problem(
                409, "idempotency_request_in_progress", "The first request with this key is still running.", "Retry in a moment to get its answer."));
        }

        return new ReplayResult(status, record.ContentType, record.Body ?? [], record.Location);
    }

    private string RequestHash(HttpContext http, IList<object?> arguments)
    {
        var body = arguments.Where(a => a is not null and not CancellationToken and not IMediator and not HttpContext).ToList();
        var canonical = $"{http.Request.Method} {http.Request.Path}\n{JsonSerializer.Serialize(body, json.Value.SerializerOptions)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Runs the real result into a buffer, keeps it if it succeeded, then sends it.</summary>
    private sealed class RecordingResult(IResult inner, IdempotencyStore store, Guid tenantId, Guid actorId, string key) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var original = httpContext.Response.Body;
            using var buffer = new MemoryStream();
            httpContext.Response.Body = buffer;
            try
            {
                await inner.ExecuteAsync(httpContext);
            }
            finally
            {
                httpContext.Response.Body = original;
            }

            var response = httpContext.Response;
            if (response.StatusCode is >= 200 and < 300)
            {
                await store.CompleteAsync(tenantId, actorId, key, response.StatusCode, response.ContentType, buffer.ToArray(), response.Headers.Location.ToString() is { Length: > 0 } l ? l : null, CancellationToken.None);
            }
            else
            {
                await store.ReleaseAsync(tenantId, actorId, key, CancellationToken.None);
            }

            buffer.Position = 0;
            await buffer.CopyToAsync(original, httpContext.RequestAborted);
        }
    }

    private sealed class ReplayResult(int status, string? contentType, byte[] body, string? location) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.Headers["Idempotent-Replayed"] = "true";
            if (location is not null)
            {
                httpContext.Response.Headers.Location = location;
            }

            if (contentType is not null)
            {
                httpContext.Response.ContentType = contentType;
            }

            await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}

/// <summary>
/// The claim of an upload's <c>Idempotency-Key</c>, made by <see cref="MultipartUpload"/> once the file is stored: the
/// request is the method, path and query, the form fields, and the SHA-256 of the file's bytes, hashed as they
/// streamed in. A key already used replays its answer (or is a 422 for another file) by <see cref="ReplayException"/>,
/// which <see cref="IdempotencyFilter"/> turns into that answer.
/// </summary>
internal sealed class UploadIdempotency(IdempotencyStore store, Guid tenantId, Guid actorId, string key, string request)
{
    public bool Claimed { get; private set; }

    public async Task ClaimAsync(string fileHash, IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var form = string.Join('\n', fields.OrderBy(f => f.Key, StringComparer.OrdinalIgnoreCase).Select(f => $"{f.Key.ToLowerInvariant()}={f.Value}"));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{request}\n{form}\nfile sha256 {fileHash}")));
        var existing = await store.ClaimAsync(tenantId, actorId, key, hash, cancellationToken);
        if (existing is not null)
        {
            throw new ReplayException(existing, hash);
        }

        Claimed = true;
    }

    /// <summary>The key was used before: its first answer (or a 422) goes back instead of a new process.</summary>
    internal sealed class ReplayException(IdempotencyRecord record, string hash) : Exception("The Idempotency-Key was used before.")
    {
        public IdempotencyRecord Record { get; } = record;

        public string Hash { get; } = hash;
    }
}

internal static class IdempotencyEndpointExtensions
{
    /// <summary>Accepts an <c>Idempotency-Key</c> header on this endpoint (documented in OpenAPI).</summary>
    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder builder) => builder.WithIdempotency(forUpload: false);

    /// <summary>Accepts an <c>Idempotency-Key</c> header; <paramref name="forUpload"/>: the body is an upload, claimed by the hash of its file once it is received.</summary>
    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder builder, bool forUpload) => builder
        .AddEndpointFilter<IdempotencyFilter>()
        .WithMetadata(new AcceptsIdempotencyKey(forUpload))
        .ProducesProblemCodes(StatusCodes.Status409Conflict, "idempotency_request_in_progress")
        .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused");
}

/// <summary>Marks endpoints that accept <c>Idempotency-Key</c>, so the OpenAPI document can say so.</summary>
internal sealed record AcceptsIdempotencyKey(bool ForUpload = false);

internal sealed class IdempotencyKeyOperationFilter : Swashbuckle.AspNetCore.SwaggerGen.IOperationFilter
{
    public void Apply(Microsoft.OpenApi.OpenApiOperation operation, Swashbuckle.AspNetCore.SwaggerGen.OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<AcceptsIdempotencyKey>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new Microsoft.OpenApi.OpenApiParameter
            {
                Name = IdempotencyFilter.HeaderName,
                In = Microsoft.OpenApi.ParameterLocation.Header,
                Required = false,
                Description = "Any unique string (e.g. a UUID). A retry with the same key and body (for an upload: the same file) replays the first answer; another body is a 422.",
                Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, MaxLength = 200 },
            });
        }
    }
}
