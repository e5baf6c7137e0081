using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Moonflow.Domain.Common;

/// <summary>
/// A text people read later, kept by the key of its resource text and its arguments (JSON, in a <c>jsonb</c> column), so it
/// is said in the language of whoever reads it, not of whoever caused it: a process's label, a notification. An argument
/// is a value already written as text (numbers, dates, ids, names as the API spells them), or another stored text (the
/// label inside "… completed"). Rows written before a text had a key keep only their finished text, which is read as it is.
/// </summary>
public sealed class StoredText
{
    private StoredText(string key, IReadOnlyList<object> arguments)
    {
        Key = key;
        Arguments = arguments;
    }

    public string Key { get; }

    /// <summary>Each a <see cref="string"/> or a <see cref="StoredText"/>.</summary>
    public IReadOnlyList<object> Arguments { get; }

    /// <summary>A text by key; arguments that are not texts are written with the invariant culture.</summary>
    public static StoredText Of(string key, params object?[] arguments) =>
        new(Guard.Required(key, nameof(key), 200), arguments.Select(Argument).ToList());

    /// <summary>The text under <paramref name="key"/> with the arguments an <see cref="ErrorText"/> was raised with.</summary>
    public static StoredText Of(string key, ErrorText text) =>
        new(Guard.Required(key, nameof(key), 200), text.FormattedArguments(CultureInfo.InvariantCulture).Cast<object>().ToList());

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static StoredText? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement);
    }

    private static object Argument(object? value) => value switch
    {
        StoredText text => text,
        null => string.Empty,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("key", Key);
        writer.WriteStartArray("args");
        foreach (var argument in Arguments)
        {
            if (argument is StoredText text)
            {
                text.Write(writer);
            }
            else
            {
                writer.WriteStringValue((string)argument);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static StoredText Read(JsonElement element) => new(
        element.GetProperty("key").GetString() ?? string.Empty,
        element.TryGetProperty("args", out var args)
            ? args.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.Object ? Read(a) : (object)(a.GetString() ?? string.Empty)).ToList()
            : []);
}
