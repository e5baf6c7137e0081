using System.Diagnostics;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Domain.Common;

namespace Moonflow.Api.Infrastructure;

/// <summary>
/// The one place exceptions become answers: RFC 9457 problem details with a stable <c>code</c>.
/// Unknown errors become a 500 carrying a correlation id that is also in the log, never a stack trace.
/// </summary>
internal sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ValidationException validation => ValidationProblem(
                validation.Errors.GroupBy(e => JsonName(e.PropertyName)).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray())),
            DomainValidationException domain => ValidationProblem(new Dictionary<string, string[]> { [JsonName(domain.Field)] = [domain.Message] }),
            BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge =>
                Problem(413, "payload_too_large", "The request body is too large.", bad.Message),
            BadHttpRequestException { InnerException: System.Text.Json.JsonException json } when UnknownMember(json) is { } member =>
                ValidationProblem(new Dictionary<string, string[]> { [member] = [$"Unknown member '{member}': the request has no such field."] }),
            BadHttpRequestException bad => Problem(bad.StatusCode, "invalid_request", "The request could not be read.", ReadableReason(bad)),
            RateLimitedException e => RateLimitedProblem(httpContext, e.RetryAfter, e.Message),
            UnauthenticatedException e => Problem(401, "unauthenticated", "Authentication is required.", e.Message),
            ForbiddenException e => Problem(403, e.Code, "You are not allowed to do this.", e.Message),
            NotFoundException e => Problem(404, "not_found", $"{e.Resource} not found.", e.Message),
            ConflictException e => Problem(409, e.Code, "The request conflicts with the current state.", e.Message),
            GoneException e => Problem(410, e.Code, "The resource is no longer available.", e.Message),
            UploadRejectedException upload => Problem(upload.Status, upload.Code, "The upload was refused.", upload.Message),
            UnsupportedFileException e => Problem(415, e.Code, "The upload was refused.", e.Message),
            UnprocessableFileException e => Problem(422, e.Code, "The file could not be accepted.", e.Message),
            Moonflow.Application.Common.Spreadsheets.SpreadsheetFormatException malformed =>
                Problem(422, "malformed_file", "The file could not be read.", malformed.Message),
            BusinessRuleValidationException { BrokenRule: IQuotaRule quota } => WithDetails(QuotaProblem(httpContext, quota), quota),
            BusinessRuleValidationException { BrokenRule: IRequestRule invalid } => Problem(400, invalid.Code, "The request is not valid.", invalid.Message),
            BusinessRuleValidationException rule => WithDetails(Problem(409, rule.BrokenRule.Code, "A business rule prevents this.", rule.Message), rule.BrokenRule),
            _ => null,
        };

        if (problem is null)
        {
            var correlationId = Activity.Current?.TraceId.ToString() ?? httpContext.TraceIdentifier;
            logger.LogError(exception, "Unhandled error {CorrelationId} on {Method} {Path}", correlationId, httpContext.Request.Method, httpContext.Request.Path);
            problem = Problem(500, "internal_error", "An unexpected error occurred.", $"Something went wrong on our side. Quote correlation id {correlationId} to support.");
            problem.Extensions["correlationId"] = correlationId;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    internal static ProblemDetails Problem(int status, string code, string title, string detail)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = $"https://moonflow.dev/problems/{code}" };
        problem.Extensions["code"] = code;
        return problem;
    }

    private static ProblemDetails WithDetails(ProblemDetails problem, IBusinessRule rule)
    {
        if (rule is IRuleDetails details)
        {
            foreach (var (key, value) in details.Details)
            {
                problem.Extensions[key] = value;
            }
        }

        return problem;
    }

    private static ProblemDetails ValidationProblem(IDictionary<string, string[]> errors)
    {
        var problem = new HttpValidationProblemDetails(errors)
        {
            Status = 400,
            Title = "The request is not valid.",
            Detail = "See 'errors' for what to fix in each field.",
            Type = "https://moonflow.dev/problems/validation_failed",
        };
        problem.Extensions["code"] = "validation_failed";
        return problem;
    }

    /// <summary>The 429 every limit answers (request limits, sign-in throttle): <c>rate_limited</c>, <c>Retry-After</c> in whole seconds, at least one.</summary>
    internal static ProblemDetails RateLimitedProblem(HttpContext httpContext, TimeSpan retryAfter, string detail)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problem = Problem(429, "rate_limited", "Too many requests.", detail);
        problem.Extensions["retryAfterSeconds"] = seconds;
        return problem;
    }

    private static ProblemDetails QuotaProblem(HttpContext httpContext, IQuotaRule quota)
    {
        var problem = Problem(429, quota.Code, "A usage limit was reached.", quota.Message);
        if (quota.RetryAt is { } retryAt)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling((retryAt - DateTimeOffset.UtcNow).TotalSeconds));
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            problem.Extensions["nextAllowedAt"] = retryAt;
        }

        return problem;
    }

    /// <summary>
    /// The member a body named that its type does not have, when the type refuses unknown members
    /// (<c>[JsonUnmappedMemberHandling(Disallow)]</c>): a typo in a filter must not silently widen what a process touches.
    /// </summary>
    private static string? UnknownMember(System.Text.Json.JsonException json) =>
        System.Text.RegularExpressions.Regex.Match(json.Message, "^The JSON property '(?<name>[^']+)' could not be mapped to any \\.NET member") is { Success: true } match
            ? match.Groups["name"].Value
            : null;

    private static string ReadableReason(BadHttpRequestException bad) =>
        bad.InnerException is System.Text.Json.JsonException json ? $"The JSON body is not valid: {json.Message}" : bad.Message;

    /// <summary>FluentValidation names properties in PascalCase paths; clients see camelCase JSON names.</summary>
    private static string JsonName(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));
}
