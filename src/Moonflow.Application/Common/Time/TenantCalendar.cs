using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Identity;

namespace Moonflow.Application.Common.Time;

/// <summary>The caller's tenant's calendar: its time zone, its "today", its local wall-clock times.</summary>
public sealed class TenantCalendar(IUserRepository tenants, ICurrentUser user, TimeProvider clock)
{
    private TimeZoneInfo? _zone;

    public async Task<TimeZoneInfo> ZoneAsync(CancellationToken cancellationToken) =>
        _zone ??= (await tenants.GetTenantAsync(user.TenantId, cancellationToken) ?? throw new NotFoundException("Tenant", user.TenantId)).TimeZone;

    public async Task<DateOnly> TodayAsync(CancellationToken cancellationToken) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), await ZoneAsync(cancellationToken)).DateTime);

    /// <summary>A wall-clock time in the tenant's zone as an instant (ambiguous or skipped local times resolve to standard time).</summary>
    public static DateTimeOffset ToInstant(DateTime localTime, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(localTime, DateTimeKind.Unspecified);
        var offset = zone.IsInvalidTime(unspecified) ? zone.BaseUtcOffset : zone.GetUtcOffset(unspecified);
        return new DateTimeOffset(unspecified, offset);
    }
}
