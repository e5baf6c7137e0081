using System.Collections.Frozen;
using System.Globalization;
using Moonflow.Application.Common.Localization;

namespace Moonflow.Api.Infrastructure.Localization;

/// <summary>
/// The API's own human-readable texts, from Moonflow's one JSON resource per language (<see cref="Texts"/>),
/// in the language of the request (<c>Accept-Language: es|en</c>, else <see cref="LocalizationSetup.DefaultLanguageKey"/>).
/// Codes, enum values and JSON names are never looked up here: they do not change with the language.
/// </summary>
internal sealed class ApiTexts
{
    public static readonly string[] Languages = Texts.Languages;

    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _byLanguage =
        Languages.ToFrozenDictionary(language => language, language => Texts.Default.Of(language).ToFrozenDictionary(StringComparer.Ordinal), StringComparer.Ordinal);

    // English texts of errors by code (error.{code}, and error.{code}.{variant} for a code raised with other words),
    // to find the key of a raised error by its English template.
    private readonly FrozenDictionary<string, (string Key, string Template)[]> _errorsByCode;

    public ApiTexts()
    {
        _errorsByCode = _byLanguage["en"]
            .Where(entry => entry.Key.StartsWith(ErrorPrefix, StringComparison.Ordinal))
            .GroupBy(entry => entry.Key[ErrorPrefix.Length..].Split('.')[0], StringComparer.Ordinal)
            .ToFrozenDictionary(group => group.Key, group => group.Select(entry => (entry.Key, entry.Value)).ToArray(), StringComparer.Ordinal);
    }

    public const string ErrorPrefix = "error.";

    /// <summary>Every key of one language, for the test that no key exists in one language only.</summary>
    public IReadOnlyCollection<string> Keys(string language) => _byLanguage[language].Keys;

    /// <summary>The text for the current UI culture (English for a culture we do not speak), or null if there is none.</summary>
    public string? Find(string key, params object?[] arguments)
    {
        var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var texts = _byLanguage.GetValueOrDefault(language) ?? _byLanguage["en"];
        return texts.TryGetValue(key, out var text) ? string.Format(CultureInfo.CurrentCulture, text, arguments) : null;
    }

    /// <summary>
    /// An error's text in the current UI culture: the text under its code whose English is the raised template, with the
    /// raised arguments; null (so the raised English stays) when no key has those words or the text does not fit them.
    /// </summary>
    public string? Detail(Moonflow.Domain.Common.ILocalizableError error)
    {
        if (!_errorsByCode.TryGetValue(error.Code, out var candidates))
        {
            return null;
        }

        var template = error.Text.Template;
        var key = candidates.FirstOrDefault(candidate => candidate.Template == template).Key;
        if (key is null)
        {
            // Raised as finished English (a text chosen by a condition is a plain string): found by its words instead.
            var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
            var english = error.Text.ToString();
            var said = Texts.Default.Translate(ErrorPrefix + error.Code, english, language);
            return said != english || language == "en" ? said : null;
        }

        var texts = _byLanguage.GetValueOrDefault(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName) ?? _byLanguage["en"];
        return texts.TryGetValue(key, out var text) ? error.Text.Render(text, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>A validator's (or the domain's) field message in the current UI culture, found by its English words under <c>validation.</c>.</summary>
    public string Validation(string message) => Texts.Default.Translate(ValidationPrefix, message, CultureInfo.CurrentUICulture.TwoLetterISOLanguageName);

    public const string ValidationPrefix = "validation.";

    /// <summary>A spreadsheet reader's detail (or a row's failure reason) in the current UI culture, found by its English words under <c>reason.</c>.</summary>
    public string Reason(string english) => Texts.Default.Translate(Texts.ReasonPrefix, english, CultureInfo.CurrentUICulture.TwoLetterISOLanguageName);

    /// <summary>Whether some text of this language is for an error of this code.</summary>
    public bool HasError(string language, string code) =>
        _byLanguage[language].Keys.Any(key => key == ErrorPrefix + code || key.StartsWith($"{ErrorPrefix}{code}.", StringComparison.Ordinal));
}
