using Moonflow.Domain.Common;

namespace Moonflow.Domain.Identity;

/// <summary>An account (subscription). Its time zone decides its calendar days and nightly window.</summary>
public sealed class Tenant : AggregateRoot
{
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

    /// <summary>When deferred downloads run, in the tenant's local time (default 02:00).</summary>
    public TimeOnly NightlyWindow { get; private set; } = new(2, 0);

    public static Tenant Create(string slug, string name, string timeZoneId, DateTimeOffset now)
    {
        var zone = Guard.Required(timeZoneId, nameof(timeZoneId), 64);
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            throw new DomainValidationException(nameof(timeZoneId), $"Unknown time zone '{zone}'.");
        }

        return new Tenant
        {
            Id = Guid.CreateVersion7(now),
            Slug = Guard.Required(slug, nameof(slug), 64).ToLowerInvariant(),
            Name = Guard.Required(name, nameof(name), 200),
            TimeZoneId = zone,
            CreatedAt = now,
        };
    }

    public TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);

    public void MoveNightlyWindow(TimeOnly localTime) => NightlyWindow = localTime;
}
