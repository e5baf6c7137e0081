namespace Moonflow.Application.Common.Spreadsheets;

public enum SpreadsheetFormat
{
    Xlsx,
    Csv,
}

/// <summary>A malformed spreadsheet; the message is written for the person who uploaded it.</summary>
public sealed class SpreadsheetFormatException(string message) : Exception(message);
