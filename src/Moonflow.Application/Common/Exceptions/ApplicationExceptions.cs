namespace Moonflow.Application.Common.Exceptions;

/// <summary>The resource does not exist for this caller; other tenants' data is reported the same way.</summary>
public sealed class NotFoundException(string resource, object key) : Exception($"{resource} '{key}' was not found.")
{
    public string Resource { get; } = resource;
}

public sealed class ForbiddenException(string message, string code = "forbidden") : Exception(message)
{
    /// <summary>The problem's code: <c>forbidden</c>, or a more precise one (a download link that is not ours: <c>link_invalid</c>).</summary>
    public string Code { get; } = code;
}

public sealed class UnauthenticatedException(string message) : Exception(message);

/// <summary>A file the log still lists but whose bytes have expired.</summary>
public sealed class GoneException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>The request conflicts with the current state in a way no aggregate rule names.</summary>
public sealed class ConflictException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>An uploaded file whose content is not of a kind the action takes (checked by content, never by name): a 415.</summary>
/// <param name="code">
/// <c>unsupported_file_type</c>, or <c>content_type_mismatch</c> when the content contradicts the type or name it was sent with.
/// </param>
public sealed class UnsupportedFileException(string message, string code = "unsupported_file_type") : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>A file of the right kind whose content cannot be accepted (XML that is not well-formed, or carries a DTD): a 422 with its code.</summary>
public sealed class UnprocessableFileException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>Too many requests or attempts: a 429 <c>rate_limited</c> whose <c>Retry-After</c> is <see cref="RetryAfter"/>.</summary>
public sealed class RateLimitedException(TimeSpan retryAfter, string message) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
