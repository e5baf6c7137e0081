using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MediatR;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Security;
using Moonflow.Infrastructure.Idempotency;

namespace Moonflow.Api.Infrastructure;

/// <summary>
/// <c>Idempotency-Key</c> on POSTs that start work: the same key with the same body replays the first answer
/// (status, body, Location); the same key with another body is a 422. Only successful answers are kept.
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

internal static class IdempotencyEndpointExtensions
{
    /// <summary>Accepts an <c>Idempotency-Key</c> header on this endpoint (documented in OpenAPI).</summary>
    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder builder) => builder
        .AddEndpointFilter<IdempotencyFilter>()
        .WithMetadata(new AcceptsIdempotencyKey())
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}

/// <summary>Marks endpoints that accept <c>Idempotency-Key</c>, so the OpenAPI document can say so.</summary>
internal sealed class AcceptsIdempotencyKey;

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
                Description = "Any unique string (e.g. a UUID). A retry with the same key and body replays the first answer; another body is a 422.",
                Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, MaxLength = 200 },
            });
        }
    }
}
