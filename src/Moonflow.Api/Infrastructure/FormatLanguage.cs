using Moonflow.Domain.Common;

namespace Moonflow.Api.Infrastructure;

/// <summary>
/// The <c>?lang=</c> of every import's format workbook (interactions template, CRM imports, screens): <c>es</c> (the
/// default) or <c>en</c>; any other value is a 400 on <c>lang</c>, so a typo never silently gives the other language.
/// </summary>
internal static class FormatLanguage
{
    public static bool IsEnglish(string? lang) => lang?.Trim().ToLowerInvariant() switch
    {
        null or "" or "es" => false,
        "en" => true,
        _ => throw new DomainValidationException("lang", $"'{lang}' is not a language of the format; use es or en."),
    };
}
