using Moonflow.Domain.Common;

namespace Moonflow.Domain.Identity;

/// <summary>An account (subscription). Its time zone decides its calendar days and nightly window.</summary>
public sealed class Tenant : AggregateRoot
{
    /// <summary>When deferred downloads run unless the tenant chose another time (SPEC section 4).</summary>
    public static readonly TimeOnly DefaultNightlyWindow = new(2, 0);

    private Tenant()
    {
        Slug = Name = TimeZoneId = string.Empty;
    }

    public Guid Id { get; private set; }

    /// <summary>Short, unique, lower-case name used to sign in (e.g. <c>demo</c>).</summary>
    public string Slug { get; private set; }

    public string Name { get; private set; }

    /// <summary>IANA time zone id, e.g. <c>America/Bogota</c>.</summary>
    public string TimeZoneId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When deferred downloads run, in the tenant's local time (<see cref="DefaultNightlyWindow"/> unless changed).</summary>
    public TimeOnly NightlyWindow { get; private set; } = DefaultNightlyWindow;

    /// <summary>The language the tenant's users read messages in (<c>es</c> or <c>en</c>); Spanish unless changed.</summary>
    public string Language { get; private set; } = DefaultLanguage;

    public const string DefaultLanguage = "es";

    public static Tenant Create(string slug, string name, string timeZoneId, DateTimeOffset now)
    {
        var zone = Guard.Required(timeZoneId, nameof(timeZoneId), 64);
        CheckRule(new TenantTimeZoneMustBeKnownRule(zone));
        return new Tenant
        {
            Id = Guid.CreateVersion7(now),
            Slug = Guard.Required(slug, nameof(slug), 64).ToLowerInvariant(),
            Name = Guard.Required(name, nameof(name), 200),
            TimeZoneId = zone,
            CreatedAt = now,
        };
    }

    /// <summary>The language of messages sent to the tenant's users (emails): Spanish or English.</summary>
    public void ChangeLanguage(string language)
    {
        var code = Guard.Required(language, nameof(language), 8).ToLowerInvariant();
        if (code is not ("es" or "en"))
        {
            throw new DomainValidationException(nameof(language), "The language is 'es' (Spanish) or 'en' (English).");
        }

        Language = code;
    }

    public TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);

    /// <summary>
    /// An admin sets the tenant's time zone and the local time its nightly window opens. Returns whether either
    /// changed: work already scheduled for the old window then has to follow the new one.
    /// </summary>
    public bool ChangeSchedule(string timeZoneId, TimeOnly nightlyWindow)
    {
        var zone = Guard.Required(timeZoneId, "timeZone", 64);
        CheckRule(new TenantTimeZoneMustBeKnownRule(zone));
        if (nightlyWindow.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            throw new DomainValidationException(nameof(nightlyWindow), "The nightly window is a local time of day in whole minutes (HH:mm).");
        }

        var changed = zone != TimeZoneId || nightlyWindow != NightlyWindow;
        TimeZoneId = zone;
        NightlyWindow = nightlyWindow;
        return changed;
    }
}

/// <summary>A tenant's calendar needs a real IANA time zone (e.g. <c>America/Bogota</c>); Windows names and offsets are refused.</summary>
public sealed class TenantTimeZoneMustBeKnownRule(string timeZoneId) : IRequestRule
{
    public string Code => "unknown_time_zone";

    public ErrorText Message =>
        $"Unknown time zone '{timeZoneId}'. Use an IANA time zone id such as 'America/Bogota', 'America/Mexico_City' or 'Europe/Madrid'.";

    public bool IsBroken() => !TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone) || !zone.HasIanaId;
}
