using System.Globalization;
using Moonflow.Application.Common.Time;
using Moonflow.Domain.Common;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity.TenantSettings;

/// <summary>The tenant's own settings, as an admin sees and changes them.</summary>
/// <param name="TimeZone">IANA time zone id: the tenant's calendar days and local times.</param>
/// <param name="NightlyWindow">Local time of day (HH:mm) when deferred downloads run.</param>
/// <param name="NextNightlyWindow">When the window next opens, as an instant.</param>
/// <param name="Language">The language of emails to the tenant's users: <c>es</c> or <c>en</c>.</param>
public sealed record TenantSettingsDto(string TimeZone, string NightlyWindow, DateTimeOffset NextNightlyWindow, string Language)
{
    public static TenantSettingsDto Of(Tenant tenant, DateTimeOffset now) =>
        new(tenant.TimeZoneId, NightlyWindowText.Format(tenant.NightlyWindow), TenantCalendar.NextNightlyWindow(tenant, now), tenant.Language);
}

/// <summary>How the API writes a nightly window: a 24-hour local time of day, <c>HH:mm</c>.</summary>
public static class NightlyWindowText
{
    private const string Pattern = "HH:mm";

    public static string Format(TimeOnly window) => window.ToString(Pattern, CultureInfo.InvariantCulture);

    public const string Expected = "'nightlyWindow' is the local time of day deferred downloads run, as HH:mm (24-hour), e.g. '02:00'.";

    public static bool TryParse(string? text, out TimeOnly window) =>
        TimeOnly.TryParseExact(text?.Trim(), Pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out window);

    public static TimeOnly Parse(string? text) =>
        TryParse(text, out var window) ? window : throw new DomainValidationException("nightlyWindow", Expected);
}
