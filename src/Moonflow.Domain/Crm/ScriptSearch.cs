using System.Text.RegularExpressions;
using Moonflow.Domain.Common;

namespace Moonflow.Domain.Crm;

/// <summary>
/// "Verificación de uso de objetos en Script" (seed 004): which sub-screens hold a script that uses a data object, or
/// whose text contains a fragment. Exactly one of the two is asked: an object is an identifier matched as a whole word
/// (<c>lblEtiqueta1</c> is not <c>lblEtiqueta10</c>, but is in <c>lblEtiqueta1.value</c>), case as written; a fragment
/// matches anywhere, ignoring case and accents.
/// </summary>
public sealed partial record ScriptSearch
{
    public const int MaxLength = 200;

    private ScriptSearch(string? dataObject, string? fragment)
    {
        DataObject = dataObject;
        Fragment = fragment;
    }

    /// <summary>The data object to find as a whole word, or null when searching by fragment.</summary>
    public string? DataObject { get; }

    /// <summary>The fragment to find anywhere, or null when searching by data object.</summary>
    public string? Fragment { get; }

    public static ScriptSearch Create(string? dataObject, string? fragment)
    {
        var (byObject, byFragment) = (string.IsNullOrWhiteSpace(dataObject) ? null : dataObject.Trim(), string.IsNullOrWhiteSpace(fragment) ? null : fragment);
        var oneCriterion = new ScriptSearchNeedsOneCriterionRule(byObject, byFragment);
        if (oneCriterion.IsBroken())
        {
            throw new BusinessRuleValidationException(oneCriterion);
        }

        if (byObject is not null && !Identifier().IsMatch(byObject))
        {
            throw new DomainValidationException("object", $"'{byObject}' is not a data object: letters, digits and '_', starting with a letter or '_', at most {MaxLength} characters.");
        }

        if (byFragment is not null && byFragment.Length > MaxLength)
        {
            throw new DomainValidationException("text", $"The fragment is longer than {MaxLength} characters.");
        }

        return new ScriptSearch(byObject, byFragment);
    }

    // The same word characters as PostgreSQL's \m and \M (letters, digits, underscore), so "a whole word" means one thing.
    [GeneratedRegex(@"^[\p{L}_][\p{L}\p{Nd}_]{0,199}$")]
    private static partial Regex Identifier();
}

/// <summary>A script search names a data object or a fragment, never both and never neither.</summary>
public sealed class ScriptSearchNeedsOneCriterionRule(string? dataObject, string? fragment) : IRequestRule
{
    public string Code => "script_search_needs_one_criterion";

    public ErrorText Message => "Give exactly one of 'object' (a data object such as lblEtiqueta1) or 'text' (a fragment of a script).";

    public bool IsBroken() => (dataObject is null) == (fragment is null);
}
