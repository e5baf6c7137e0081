namespace Moonflow.Application.Common.Spreadsheets;

/// <summary>Neutralises text that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start).</summary>
public static class SpreadsheetText
{
    public static string? Neutralize(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}
