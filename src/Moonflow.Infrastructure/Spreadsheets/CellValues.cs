using System.Globalization;
using System.Text;
using System.Xml;
using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>The values a column kind accepts, as both writers read them. A value of another type is a programming error.</summary>
internal static class CellValues
{
    /// <summary>Excel refuses to open a workbook with a longer cell.</summary>
    public const int MaxXlsxCellCharacters = 32_767;

    public static string Text(object value) => value switch
    {
        string text => text,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    public static long Integer(object value, SpreadsheetColumn column) => value switch
    {
        long number => number,
        int number => number,
        short number => number,
        byte number => number,
        uint number => number,
        ushort number => number,
        sbyte number => number,
        _ => throw Mismatch(value, column),
    };

    public static decimal Decimal(object value, SpreadsheetColumn column) => value switch
    {
        decimal number => number,
        long number => number,
        int number => number,
        double number when double.IsFinite(number) => (decimal)number,
        float number when float.IsFinite(number) => (decimal)number,
        _ => throw Mismatch(value, column),
    };

    public static DateOnly Date(object value, SpreadsheetColumn column) => value switch
    {
        DateOnly date => date,
        DateTime dateTime => DateOnly.FromDateTime(dateTime),
        DateTimeOffset instant => DateOnly.FromDateTime(instant.DateTime),
        _ => throw Mismatch(value, column),
    };

    /// <summary>The wall-clock time to show: a DateTimeOffset's own, or UTC for a DateTime (unspecified is taken as UTC).</summary>
    public static DateTime Instant(object value, SpreadsheetColumn column) => value switch
    {
        DateTimeOffset instant => instant.DateTime,
        DateTime { Kind: DateTimeKind.Local } dateTime => dateTime.ToUniversalTime(),
        DateTime dateTime => DateTime.SpecifyKind(dateTime, DateTimeKind.Unspecified),
        DateOnly date => date.ToDateTime(TimeOnly.MinValue),
        _ => throw Mismatch(value, column),
    };

    /// <summary>Money keeps at least two decimals in csv, as it shows in the workbook.</summary>
    public static string MoneyText(decimal amount) => amount.Scale < 2
        ? amount.ToString("0.00", CultureInfo.InvariantCulture)
        : amount.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Text that fits an xlsx cell: characters XML 1.0 cannot carry (control characters, lone surrogates) are dropped
    /// and the text is cut at Excel's cell limit.
    /// </summary>
    public static string XlsxText(string text)
    {
        if (text.Length > MaxXlsxCellCharacters)
        {
            var cut = char.IsHighSurrogate(text[MaxXlsxCellCharacters - 1]) ? MaxXlsxCellCharacters - 1 : MaxXlsxCellCharacters;
            text = text[..cut];
        }

        var firstInvalid = FirstInvalidXmlCharacter(text);
        if (firstInvalid < 0)
        {
            return text;
        }

        var clean = new StringBuilder(text.Length).Append(text, 0, firstInvalid);
        for (var i = firstInvalid; i < text.Length; i++)
        {
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                clean.Append(text, i, 2);
                i++;
            }
            else if (XmlConvert.IsXmlChar(text[i]))
            {
                clean.Append(text[i]);
            }
        }

        return clean.ToString();
    }

    private static int FirstInvalidXmlCharacter(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (XmlConvert.IsXmlChar(c))
            {
                continue;
            }

            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }

    private static ArgumentException Mismatch(object value, SpreadsheetColumn column) =>
        new($"Column '{column.Header}' holds {column.Kind} values; a {value.GetType().Name} cannot be written there.");
}
