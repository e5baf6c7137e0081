using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Moonflow.Domain.Common;

namespace Moonflow.Application.Common.Localization;

/// <summary>
/// Moonflow's human-readable texts, one JSON resource per language (<c>src/Moonflow.Api/Infrastructure/Localization/texts-{lang}.json</c>,
/// embedded here so that jobs, which may run on a worker node without the API, speak too). A text is found by key in the
/// current UI culture (the request's language) or in a language given (a process's, a tenant's); English is the
/// fallback for a culture we do not speak. Codes, enum values and JSON names are never looked up here.
/// </summary>
public sealed class Texts
{
    public static readonly string[] Languages = ["es", "en"];

    /// <summary>The language of the texts when none is known (old rows, anonymous callers): what the demo tenant speaks.</summary>
    public const string DefaultLanguage = "es";

    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _byLanguage =
        Languages.ToFrozenDictionary(language => language, Load, StringComparer.Ordinal);

    /// <summary>One instance is enough: the resources never change while the program runs.</summary>
    public static Texts Default { get; } = new();

    /// <summary>The language of the current UI culture when we speak it (a request's), else null.</summary>
    public static string? CurrentLanguage => Spoken(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName);

    /// <summary>The language if we speak it, else null.</summary>
    public static string? Spoken(string? language) => language is not null && Languages.Contains(language) ? language : null;

    /// <summary>Every text of one language.</summary>
    public IReadOnlyDictionary<string, string> Of(string language) => _byLanguage[language];

    /// <summary>The text for the current UI culture (English for a culture we do not speak), or null if there is none.</summary>
    public string? Find(string key, params object?[] arguments) => In(CurrentLanguage ?? "en", key, arguments);

    /// <summary>The text in <paramref name="language"/> (English for one we do not speak), or null if there is none or it does not fit the arguments.</summary>
    public string? In(string? language, string key, params object?[] arguments)
    {
        var texts = _byLanguage.GetValueOrDefault(Spoken(language) ?? "en") ?? _byLanguage["en"];
        if (!texts.TryGetValue(key, out var text))
        {
            return null;
        }

        try
        {
            return string.Format(CultureInfo.InvariantCulture, text, arguments);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// The key, <paramref name="prefix"/> or <c>{prefix}.{variant}</c>, whose English text is <paramref name="template"/>
    /// (a raised <see cref="ErrorText"/>'s), or null when none has those words.
    /// </summary>
    public string? KeyOf(string prefix, string template) => _byLanguage["en"]
        .Where(entry => entry.Value == template && (entry.Key == prefix || entry.Key.StartsWith(prefix + ".", StringComparison.Ordinal)))
        .Select(entry => entry.Key)
        .FirstOrDefault();

    /// <summary>A text that was stored by key, kept with its arguments, or null when no text under its prefix has its words.</summary>
    public StoredText? Keep(string prefix, ErrorText text) => KeyOf(prefix, text.Template) is { } key ? StoredText.Of(key, text) : null;

    /// <summary>
    /// A stored text in <paramref name="language"/> (the current UI culture's when null), its arguments said in it too;
    /// <paramref name="fallback"/> (the finished text of an old row) when there is none or its key has no text.
    /// </summary>
    public string Say(StoredText? text, string fallback, string? language = null) =>
        text is null ? fallback : Render(text, language ?? CurrentLanguage ?? "en") ?? fallback;

    private string? Render(StoredText text, string language)
    {
        var arguments = new object?[text.Arguments.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = text.Arguments[i] is StoredText inner ? Render(inner, language) : text.Arguments[i];
            if (arguments[i] is null)
            {
                return null;
            }
        }

        return In(language, text.Key, arguments);
    }

    private static FrozenDictionary<string, string> Load(string language)
    {
        using var stream = typeof(Texts).Assembly.GetManifestResourceStream($"Moonflow.Localization.texts-{language}.json")
            ?? throw new InvalidOperationException($"The texts of language '{language}' are not embedded.");
        return (JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? []).ToFrozenDictionary(StringComparer.Ordinal);
    }
}
