using Moonflow.Domain.Common;

namespace Moonflow.Application.Processes.Uploads;

/// <summary>
/// The text fields sent beside an upload's file, as an import reads its settings from them. A missing or malformed
/// value is a 400 naming the field, like a body's.
/// </summary>
public sealed class ImportForm(IReadOnlyDictionary<string, string> fields)
{
    public string? Optional(string name, int maxLength)
    {
        if (!fields.TryGetValue(name, out var value) || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        return value.Length <= maxLength ? value : throw new DomainValidationException(name, $"'{name}' must be at most {maxLength} characters.");
    }

    public string Required(string name, int maxLength) =>
        Optional(name, maxLength) ?? throw new DomainValidationException(name, $"'{name}' is required: send it as a form field beside the file.");

    public Guid? OptionalGuid(string name) =>
        Optional(name, 64) is { } text
            ? Guid.TryParse(text, out var id) && id != Guid.Empty ? id : throw new DomainValidationException(name, $"'{text}' is not an id.")
            : null;

    public Guid RequiredGuid(string name) =>
        OptionalGuid(name) ?? throw new DomainValidationException(name, $"'{name}' is required: send it as a form field beside the file.");

    /// <summary>A comma-separated list (repeated fields arrive joined by commas too), without blanks.</summary>
    public IReadOnlyList<string> List(string name) =>
        Optional(name, 2000) is { } text ? text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
}
