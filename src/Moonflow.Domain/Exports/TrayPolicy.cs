using Moonflow.Domain.Common;

namespace Moonflow.Domain.Exports;

/// <summary>How a tray may be downloaded (seed 000): online within limits, otherwise deferred to the nightly window.</summary>
public sealed record TrayPolicy
{
    /// <summary>No download covers more than this, whatever a tray is configured to allow.</summary>
    public const int AbsoluteMaxDays = 180;

    public TrayPolicy(string tray, bool onlineAllowed, int onlineMaxDays, long onlineMaxRows, int deferredMaxDays)
    {
        if (deferredMaxDays is < 1 or > AbsoluteMaxDays)
        {
            throw new DomainValidationException(nameof(deferredMaxDays), $"A tray's deferred range must be between 1 and {AbsoluteMaxDays} days.");
        }

        if (onlineAllowed && (onlineMaxDays < 1 || onlineMaxDays > deferredMaxDays || onlineMaxRows < 1))
        {
            throw new DomainValidationException(nameof(onlineMaxDays), "A tray's online limits must be positive and within its deferred range.");
        }

        Tray = tray;
        OnlineAllowed = onlineAllowed;
        OnlineMaxDays = onlineAllowed ? onlineMaxDays : 0;
        OnlineMaxRows = onlineAllowed ? onlineMaxRows : 0;
        DeferredMaxDays = deferredMaxDays;
    }

    public string Tray { get; }

    public bool OnlineAllowed { get; }

    public int OnlineMaxDays { get; }

    public long OnlineMaxRows { get; }

    public int DeferredMaxDays { get; }

    public static int DaysIn(DateOnly from, DateOnly to) => to.DayNumber - from.DayNumber + 1;

    /// <summary>Online when the tray allows it and both the range and the rows are within its online limits.</summary>
    public (ExportMode Mode, string Reason) Decide(DateOnly from, DateOnly to, long estimatedRows)
    {
        var days = DaysIn(from, to);
        if (!OnlineAllowed)
        {
            return (ExportMode.Deferred, $"The {Tray} tray is downloaded deferred only, in the nightly window.");
        }

        if (days > OnlineMaxDays)
        {
            return (ExportMode.Deferred, $"The range covers {days} days; online downloads cover at most {OnlineMaxDays}.");
        }

        return estimatedRows > OnlineMaxRows
            ? (ExportMode.Deferred, $"About {estimatedRows:N0} rows; online downloads hold at most {OnlineMaxRows:N0}.")
            : (ExportMode.Online, $"{days} days and about {estimatedRows:N0} rows are within the online limits.");
    }
}

public enum ExportMode
{
    Online,
    Deferred,
}

public enum ExportFormat
{
    Xlsx,
    Csv,
}

public enum ExportStatus
{
    /// <summary>Accepted; waiting for its job (at once when online, in the nightly window when deferred) or running.</summary>
    Pending,
    Completed,
    Failed,
    Cancelled,
}
