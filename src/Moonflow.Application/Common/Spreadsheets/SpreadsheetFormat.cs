namespace Moonflow.Application.Common.Spreadsheets;

public enum SpreadsheetFormat
{
    Xlsx,
    Csv,
}

/// <summary>A malformed spreadsheet; the message is written for the person who uploaded the file.</summary>
public sealed class SpreadsheetFormatException(string message, Exception? innerException = null) : Exception(message, innerException);
