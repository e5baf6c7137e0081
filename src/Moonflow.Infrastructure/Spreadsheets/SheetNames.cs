namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>Sheet names Excel accepts: at most 31 characters, none of : \ / ? * [ ], not blank, no apostrophe at either end.</summary>
internal static class SheetNames
{
    private const int MaxLength = 31;

    public static string Clean(string? name)
    {
        var clean = new string((name ?? string.Empty).Select(c => c is ':' or '\\' or '/' or '?' or '*' or '[' or ']' || char.IsControl(c) ? '_' : c).ToArray())
            .Trim().Trim('\'').Trim();
        if (clean.Length == 0)
        {
            return "Sheet1";
        }

        // Excel reserves "History" for change tracking.
        clean = clean.Equals("History", StringComparison.OrdinalIgnoreCase) ? clean + "_" : clean;
        return clean.Length <= MaxLength ? clean : clean[..MaxLength].TrimEnd();
    }

    /// <summary>The name of the <paramref name="number"/>-th sheet of a split: the name itself, then "name (2)", ….</summary>
    public static string Numbered(string cleanName, int number)
    {
        if (number == 1)
        {
            return cleanName;
        }

        var suffix = $" ({number})";
        var stem = cleanName.Length + suffix.Length <= MaxLength ? cleanName : cleanName[..(MaxLength - suffix.Length)].TrimEnd();
        return stem + suffix;
    }
}
