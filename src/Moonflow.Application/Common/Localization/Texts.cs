using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
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

    /// <summary>The texts of why a file or a row could not be read (<see cref="Translate"/>), said in the process's language.</summary>
    public const string ReasonPrefix = "reason.";

    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _byLanguage =
        Languages.ToFrozenDictionary(language => language, Load, StringComparer.Ordinal);

    // English texts under a prefix as patterns (holes become captures), most specific first; built once per prefix.
    private readonly ConcurrentDictionary<string, (string Key, Regex Pattern)[]> _patterns = new(StringComparer.Ordinal);

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

    /// <summary>
    /// Finished English text (a validator's message, a row's failure reason, a rule's text chosen by a condition) said in
    /// <paramref name="language"/>: the text under <paramref name="prefix"/> whose English has the same words, the values in
    /// its holes taken from the English and put in the other language's holes. The English stays when no key has its
    /// words, so a new message is never lost, only not yet translated.
    /// </summary>
    public string Translate(string prefix, string english, string? language) => Translate(prefix, english, Spoken(language) ?? "en", depth: 0);

    /// <summary>
    /// Says many records' reasons in <paramref name="language"/> (<see cref="Translate"/> under <c>reason.</c>), each distinct
    /// one once: the set-based chunk statements and registrars write their items' messages in SQL, in English, and are said
    /// in the process's language when read; a file's failures repeat a few reasons thousands of times. A reason already
    /// written in the process's language (a parser's) has no English words to match and stays as it is.
    /// </summary>
    public Func<string?, string?> ReasonsIn(string? language)
    {
        const int Remembered = 10_000; // "Repeats row 7 …" differs on every row: past this many, translate without keeping
        var said = new Dictionary<string, string>(StringComparer.Ordinal);
        return message =>
        {
            if (message is null)
            {
                return null;
            }

            if (said.TryGetValue(message, out var text))
            {
                return text;
            }

            text = Translate(ReasonPrefix, message, language);
            if (said.Count < Remembered)
            {
                said[message] = text;
            }

            return text;
        };
    }

    // A value in a hole may be a text of its own ("Row 7 (line 9 of the file)" in "… has an unterminated quoted field"):
    // it is said in the language too, two levels deep at most.
    private string Translate(string prefix, string english, string target, int depth)
    {
        if (target == "en" || string.IsNullOrEmpty(english) || depth > 2)
        {
            return english;
        }

        foreach (var (key, pattern) in _patterns.GetOrAdd(prefix, Patterns))
        {
            Match match;
            try
            {
                match = pattern.Match(english);
            }
            catch (RegexMatchTimeoutException)
            {
                continue;
            }

            if (match.Success)
            {
                var arguments = new object?[HoleCount(match)];
                for (var i = 0; i < arguments.Length; i++)
                {
                    arguments[i] = Translate(prefix, match.Groups[$"a{i}"].Value, target, depth + 1);
                }

                return In(target, key, arguments) ?? english;
            }
        }

        return english;
    }

    private static int HoleCount(Match match)
    {
        var count = 0;
        while (match.Groups.ContainsKey($"a{count}"))
        {
            count++;
        }

        return count;
    }

    private (string Key, Regex Pattern)[] Patterns(string prefix) => _byLanguage["en"]
        .Where(entry => Under(entry.Key, prefix))
        .Select(entry => (entry.Key, Literal: LiteralLength(entry.Value), Pattern: ToPattern(entry.Value)))
        .Where(entry => entry.Pattern is not null && entry.Literal > 0) // a text of holes only would match anything
        .OrderByDescending(entry => entry.Literal)
        .Select(entry => (entry.Key, entry.Pattern!))
        .ToArray();

    /// <summary><c>validation.</c> holds every key it starts; <c>error.agenda_not_pending</c> that key and its variants, not <c>error.agenda_not_pending_x</c>.</summary>
    private static bool Under(string key, string prefix) => prefix.EndsWith('.')
        ? key.StartsWith(prefix, StringComparison.Ordinal)
        : key == prefix || key.StartsWith(prefix + ".", StringComparison.Ordinal);

    private static int LiteralLength(string template) => Regex.Replace(template, @"\{\d+[^}]*\}", string.Empty).Length;

    /// <summary>A composite format string as an anchored pattern: literals as they are, <c>{n…}</c> as a lazy capture, possibly empty (a repeated hole must repeat).</summary>
    private static Regex? ToPattern(string template)
    {
        var pattern = new StringBuilder("^");
        var seen = new HashSet<int>();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                pattern.Append(Regex.Escape(c.ToString()));
                i++;
            }
            else if (c == '{')
            {
                var end = template.IndexOf('}', i);
                var digits = end < 0 ? string.Empty : new string(template[(i + 1)..end].TakeWhile(char.IsAsciiDigit).ToArray());
                if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    return null;
                }

                pattern.Append(seen.Add(index) ? $"(?<a{index}>.*?)" : $"\\k<a{index}>");
                i = end;
            }
            else
            {
                pattern.Append(Regex.Escape(c.ToString()));
            }
        }

        // Holes must be numbered from 0 without gaps for their values to be passed on in order.
        return seen.Count == 0 || seen.Max() == seen.Count - 1
            ? new Regex(pattern.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50))
            : null;
    }

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
