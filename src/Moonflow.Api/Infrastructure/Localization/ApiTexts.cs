using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace Moonflow.Api.Infrastructure.Localization;

/// <summary>
/// The API's own human-readable texts, one JSON resource per language (<c>Infrastructure/Localization/texts-{lang}.json</c>, embedded),
/// in the language of the request (<c>Accept-Language: es|en</c>, else <see cref="LocalizationSetup.DefaultLanguageKey"/>).
/// Codes, enum values and JSON names are never looked up here: they do not change with the language.
/// </summary>
internal sealed class ApiTexts
{
    public static readonly string[] Languages = ["es", "en"];

    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _byLanguage =
        Languages.ToFrozenDictionary(language => language, Load, StringComparer.Ordinal);

    /// <summary>Every key of one language, for the test that no key exists in one language only.</summary>
    public IReadOnlyCollection<string> Keys(string language) => _byLanguage[language].Keys;

    /// <summary>The text for the current UI culture (English for a culture we do not speak), or null if there is none.</summary>
    public string? Find(string key, params object?[] arguments)
    {
        var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var texts = _byLanguage.GetValueOrDefault(language) ?? _byLanguage["en"];
        return texts.TryGetValue(key, out var text) ? string.Format(CultureInfo.CurrentCulture, text, arguments) : null;
    }

    private static FrozenDictionary<string, string> Load(string language)
    {
        using var stream = typeof(ApiTexts).Assembly.GetManifestResourceStream($"Moonflow.Api.Localization.texts-{language}.json")
            ?? throw new InvalidOperationException($"The texts of language '{language}' are not embedded.");
        return (JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? []).ToFrozenDictionary(StringComparer.Ordinal);
    }
}
