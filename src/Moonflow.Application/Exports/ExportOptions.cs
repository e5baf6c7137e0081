using Moonflow.Domain.Exports;

namespace Moonflow.Application.Exports;

/// <summary>Download policies per tray (SPEC section 4); each can be overridden under <c>Exports:Trays:{tray}</c>.</summary>
public sealed class ExportOptions
{
    public const string Section = "Exports";

    public Dictionary<string, TrayPolicySettings> Trays { get; set; } = new()
    {
        ["clients"] = new(),
        ["payment-orders"] = new(),
        ["interactions"] = new() { OnlineAllowed = false, DeferredMaxDays = 45 },
    };

    /// <summary>How long a downloaded file stays available in the process log.</summary>
    public TimeSpan FileLifetime { get; set; } = TimeSpan.FromDays(7);

    public TrayPolicy PolicyFor(string tray)
    {
        var settings = Trays.TryGetValue(tray, out var configured) ? configured : new TrayPolicySettings();
        return new TrayPolicy(tray, settings.OnlineAllowed, settings.OnlineMaxDays, settings.OnlineMaxRows, settings.DeferredMaxDays);
    }
}

public sealed class TrayPolicySettings
{
    public bool OnlineAllowed { get; set; } = true;

    public int OnlineMaxDays { get; set; } = 60;

    public long OnlineMaxRows { get; set; } = 50_000;

    public int DeferredMaxDays { get; set; } = TrayPolicy.AbsoluteMaxDays;
}
