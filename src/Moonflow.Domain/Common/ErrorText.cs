using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Moonflow.Domain.Common;

/// <summary>
/// The human-readable part of an error, kept as a template and its arguments so that the API can say it in the caller's
/// language: <c>$"Invoice {number} of {supplier} is already registered."</c> given where an <see cref="ErrorText"/> is
/// expected keeps <c>"Invoice {0} of {1} is already registered."</c> and the two values, and the API renders the text
/// stored under the error's code (<c>error.received_invoice_exists</c>) with them. Raise sites write plain interpolated
/// strings; a plain string converts too (a template without arguments). <see cref="ToString"/> is the English text.
/// A process's label is raised the same way and kept by key (<see cref="StoredText"/>), to be said in its reader's language.
/// </summary>
[InterpolatedStringHandler]
public sealed class ErrorText
{
    private readonly StringBuilder _template;
    private readonly List<object?> _arguments;
    private readonly List<string?> _formats;

    public ErrorText(int literalLength, int formattedCount)
    {
        _template = new StringBuilder(literalLength + (formattedCount * 4));
        _arguments = new List<object?>(formattedCount);
        _formats = new List<string?>(formattedCount);
    }

    private ErrorText(string text)
    {
        _template = new StringBuilder(Escape(text));
        _arguments = [];
        _formats = [];
    }

    private ErrorText(string template, object?[] arguments)
    {
        _template = new StringBuilder(template);
        _arguments = [.. arguments];
        _formats = [.. arguments.Select(_ => (string?)null)];
    }

    /// <summary>A text from a composite format string already made (<c>"Screens import: {0}"</c>) and its arguments.</summary>
    public static ErrorText FromTemplate(string template, params object?[] arguments) => new(template, arguments);

    /// <summary>A composite format string (<c>{0}</c>, <c>{1:u}</c>, literal braces doubled), the key's English text when it is one.</summary>
    public string Template => _template.ToString();

    public IReadOnlyList<object?> Arguments => _arguments;

    public void AppendLiteral(string value) => _template.Append(Escape(value));

    public void AppendFormatted<T>(T value) => Hole(value, 0, null);

    public void AppendFormatted<T>(T value, string? format) => Hole(value, 0, format);

    public void AppendFormatted<T>(T value, int alignment) => Hole(value, alignment, null);

    public void AppendFormatted<T>(T value, int alignment, string? format) => Hole(value, alignment, format);

    /// <summary>The text with this template (another language's), or null when it does not fit these arguments.</summary>
    public string? Render(string template, IFormatProvider provider)
    {
        try
        {
            return string.Format(provider, template, [.. _arguments]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Each argument written as its hole asks (<c>{1:yyyy-MM-dd}</c>), to be kept as text (see <see cref="StoredText"/>).</summary>
    public IReadOnlyList<string> FormattedArguments(IFormatProvider provider) =>
        _arguments.Select((argument, index) => argument switch
        {
            null => string.Empty,
            IFormattable formattable => formattable.ToString(_formats[index], provider),
            _ => argument.ToString() ?? string.Empty,
        }).ToList();

    public override string ToString() => string.Format(CultureInfo.InvariantCulture, Template, [.. _arguments]);

    [return: NotNullIfNotNull(nameof(text))]
    public static implicit operator ErrorText?(string? text) => text is null ? null : new(text);

    [return: NotNullIfNotNull(nameof(text))]
    public static implicit operator string?(ErrorText? text) => text?.ToString();

    private void Hole(object? value, int alignment, string? format)
    {
        _template.Append('{').Append(_arguments.Count.ToString(CultureInfo.InvariantCulture));
        if (alignment != 0)
        {
            _template.Append(',').Append(alignment.ToString(CultureInfo.InvariantCulture));
        }

        if (format is not null)
        {
            _template.Append(':').Append(format);
        }

        _template.Append('}');
        _arguments.Add(value);
        _formats.Add(format);
    }

    private static string Escape(string text) => text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
}

/// <summary>An error the API answers with a stable code and a text in the caller's language (see <see cref="ErrorText"/>).</summary>
public interface ILocalizableError
{
    string Code { get; }

    ErrorText Text { get; }
}
