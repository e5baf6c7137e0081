using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Moonflow.Api.Infrastructure.OpenApi;

/// <summary>
/// Each problem response of an operation names the <c>code</c>s it can carry, in its description and in
/// <c>x-problem-codes</c>: the codes every endpoint can give for that status (below), plus the ones the endpoint declares
/// with <see cref="ProblemCodesExtensions.ProducesProblemCodes"/>. A status with no code at all is left without
/// the extension, and the OpenAPI tests fail on it, so a new endpoint cannot document a problem it does not explain.
/// </summary>
internal sealed class ProblemResponsesOperationFilter : IOperationFilter
{
    /// <summary>What the shared plumbing answers on any endpoint that documents the status.</summary>
    private static readonly Dictionary<int, string[]> CommonCodes = new()
    {
        [400] = ["validation_failed", "invalid_request"],
        [401] = ["unauthenticated"],
        [403] = ["forbidden"],
        [404] = ["not_found"],
        [413] = ["payload_too_large"],
        [415] = ["unsupported_media_type"],
        [429] = ["rate_limited"], // the per-caller rate limiter and the sign-in throttle answer it on any endpoint that documents 429
        [500] = ["internal_error"],
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var declared = metadata.OfType<ProblemCodes>().ToList();
        operation.Responses ??= [];

        // The rate limiter counts every authenticated request (RateLimits.cs), so every operation that takes credentials
        // can be refused with 429 rate_limited; anonymous ones declare it themselves where a throttle applies (sign-in).
        if (!metadata.OfType<IAllowAnonymous>().Any() && !operation.Responses.ContainsKey("429")
            && operation.Responses.TryGetValue("401", out var unauthenticated) && unauthenticated is OpenApiResponse { Content: { } problemContent })
        {
            operation.Responses["429"] = new OpenApiResponse { Content = new Dictionary<string, OpenApiMediaType>(problemContent) };
        }

        if (operation.Responses.TryGetValue("429", out var tooMany) && tooMany is OpenApiResponse limited)
        {
            limited.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
            limited.Headers["Retry-After"] = new OpenApiHeader
            {
                Description = "Whole seconds to wait before trying again (also `retryAfterSeconds` in the problem, for rate_limited).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" },
            };
        }

        foreach (var (statusText, response) in operation.Responses ?? [])
        {
            if (!int.TryParse(statusText, out var status) || status < 400 || response is not OpenApiResponse problem)
            {
                continue;
            }

            var codes = CommonCodes.GetValueOrDefault(status, [])
                .Concat(declared.Where(d => d.Status == status).SelectMany(d => d.Codes))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (codes.Count == 0)
            {
                continue;
            }

            problem.Description = $"{ReasonPhrases.GetReasonPhrase(status)}: a problem with code {string.Join(", ", codes.Select(c => $"`{c}`"))}.";
            problem.Extensions ??= new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal);
            problem.Extensions["x-problem-codes"] = new JsonNodeExtension(new JsonArray(codes.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()));
        }
    }
}

/// <summary>Endpoint metadata: the problem <c>code</c>s an endpoint can answer with <see cref="Status"/>, beyond the common ones.</summary>
internal sealed record ProblemCodes(int Status, IReadOnlyList<string> Codes);

internal static class ProblemCodesExtensions
{
    /// <summary>
    /// Documents a problem response and the codes it carries (e.g. 409 <c>export_in_progress</c>). A 400 is documented as
    /// the validation problem (with <c>errors</c>), since that is what a 400 of the shared plumbing can also be; a plain
    /// problem declared after it would replace its schema.
    /// </summary>
    public static RouteHandlerBuilder ProducesProblemCodes(this RouteHandlerBuilder builder, int status, params string[] codes) =>
        (status == StatusCodes.Status400BadRequest ? builder.ProducesValidationProblem() : builder.ProducesProblem(status))
            .WithMetadata(new ProblemCodes(status, codes));
}
