using Moonflow.Domain.Common;

namespace Moonflow.Application.Common.Exceptions;

/// <summary>The resource does not exist for this caller; other tenants' data is reported the same way.</summary>
public sealed class NotFoundException(string resource, object key) : Exception($"{resource} '{key}' was not found."), ILocalizableError
{
    public string Resource { get; } = resource;

    public string Code => "not_found";

    public ErrorText Text => $"{Resource} '{key}' was not found.";
}

public sealed class ForbiddenException(ErrorText message, string code = "forbidden") : Exception(message), ILocalizableError
{
    public ErrorText Text { get; } = message;

    /// <summary>The problem's code: <c>forbidden</c>, or a more precise one (a download link that is not ours: <c>link_invalid</c>).</summary>
    public string Code { get; } = code;
}

public sealed class UnauthenticatedException(ErrorText message) : Exception(message), ILocalizableError
{
    public string Code => "unauthenticated";

    public ErrorText Text { get; } = message;
}

/// <summary>A file the log still lists but whose bytes have expired.</summary>
public sealed class GoneException(string code, ErrorText message) : Exception(message), ILocalizableError
{
    public ErrorText Text { get; } = message;

    public string Code { get; } = code;
}

/// <summary>The request conflicts with the current state in a way no aggregate rule names.</summary>
public sealed class ConflictException(string code, ErrorText message) : Exception(message), ILocalizableError
{
    public ErrorText Text { get; } = message;

    public string Code { get; } = code;
}

/// <summary>An uploaded file whose content is not of a kind the action takes (checked by content, never by name): a 415.</summary>
/// <param name="code">
/// <c>unsupported_file_type</c>, or <c>content_type_mismatch</c> when the content contradicts the type or name it was sent with.
/// </param>
public sealed class UnsupportedFileException(ErrorText message, string code = "unsupported_file_type") : Exception(message), ILocalizableError
{
    public ErrorText Text { get; } = message;

    public string Code { get; } = code;
}

/// <summary>A file of the right kind whose content cannot be accepted (XML that is not well-formed, or carries a DTD): a 422 with its code.</summary>
public sealed class UnprocessableFileException(string code, ErrorText message) : Exception(message), ILocalizableError
{
    public ErrorText Text { get; } = message;

    public string Code { get; } = code;
}

/// <summary>Too many requests or attempts: a 429 <c>rate_limited</c> whose <c>Retry-After</c> is <see cref="RetryAfter"/>.</summary>
public sealed class RateLimitedException(TimeSpan retryAfter, ErrorText message) : Exception(message), ILocalizableError
{
    public string Code => "rate_limited";

    public ErrorText Text { get; } = message;

    public TimeSpan RetryAfter { get; } = retryAfter;
}
