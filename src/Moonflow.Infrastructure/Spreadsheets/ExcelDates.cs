using System.Globalization;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// Excel's date serials: days since 1900-01-00, with the Lotus bug that counts a 29 February 1900, so serials before
/// 1 March 1900 are one day off OLE automation dates (or, in 1904-based workbooks, days since 1904-01-01).
/// </summary>
internal static class ExcelDates
{
    /// <summary>The first day a 1900-based serial can show.</summary>
    public static readonly DateTime MinDate = new(1900, 1, 1);

    /// <summary>31 December 9999, the last day Excel shows.</summary>
    private const double MaxSerial = 2_958_466;

    private const double FirstSerialAfterLeapBug = 61;

    private const double Days1900To1904 = 1_462;

    /// <summary>The serial of a wall-clock time on or after <see cref="MinDate"/> (1900 date system).</summary>
    public static double ToSerial(DateTime wallClock)
    {
        var serial = wallClock.ToOADate();
        return serial < FirstSerialAfterLeapBug ? serial - 1 : serial;
    }

    /// <summary>
    /// <c>yyyy-MM-dd</c>, or <c>yyyy-MM-ddTHH:mm:ss</c> when there is a time of day (to the second); a serial below 1
    /// is a time alone (<c>HH:mm:ss</c>). Null when the serial is no date Excel could show.
    /// </summary>
    public static string? ToIsoText(double serial, bool date1904)
    {
        if (!double.IsFinite(serial) || serial < 0)
        {
            return null;
        }

        if (serial < 1)
        {
            var ticks = (long)Math.Round(serial * TimeSpan.TicksPerDay / TimeSpan.TicksPerSecond) * TimeSpan.TicksPerSecond;
            return new TimeOnly(ticks % TimeSpan.TicksPerDay).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        }

        var oaDate = date1904 ? serial + Days1900To1904 : serial < FirstSerialAfterLeapBug ? serial + 1 : serial;
        if (oaDate >= MaxSerial - (1.0 / 86_400))
        {
            return null;
        }

        var instant = DateTime.FromOADate(oaDate);
        var rounded = new DateTime((instant.Ticks + (TimeSpan.TicksPerSecond / 2)) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond);
        return rounded.TimeOfDay == TimeSpan.Zero
            ? rounded.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : rounded.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
    }
}
