namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>Which number formats show a date or time: xlsx stores those cells as plain serial numbers.</summary>
internal static class XlsxNumberFormats
{
    /// <summary>True for the built-in date/time formats (14–22, 45–47) and for custom codes with a date or time part.</summary>
    public static bool IsDateOrTime(uint numberFormatId, string? formatCode) =>
        formatCode is not null ? HasDateOrTimePart(formatCode) : numberFormatId is (>= 14 and <= 22) or (>= 45 and <= 47);

    /// <summary>
    /// d, m, y, h or s outside "literal text", [colours, locales and elapsed units], \escaped characters and the
    /// characters that _ (padding) and * (fill) take, which are shown as they are.
    /// </summary>
    public static bool HasDateOrTimePart(string formatCode)
    {
        for (var i = 0; i < formatCode.Length; i++)
        {
            switch (formatCode[i])
            {
                case '"':
                    i = formatCode.IndexOf('"', i + 1);
                    break;
                case '[':
                    i = formatCode.IndexOf(']', i + 1);
                    break;
                case '\\' or '_' or '*':
                    i++;
                    break;
                case 'd' or 'D' or 'm' or 'M' or 'y' or 'Y' or 'h' or 'H' or 's' or 'S':
                    return true;
            }

            if (i < 0)
            {
                return false;
            }
        }

        return false;
    }
}
