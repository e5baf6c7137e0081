using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Identity;
using Moonflow.Domain.Exports;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Common.Time;

/// <summary>The caller's tenant's calendar: its time zone, its "today", its nightly window, its local wall-clock times.</summary>
public sealed class TenantCalendar(IUserRepository tenants, ICurrentUser user, TimeProvider clock)
{
    private Tenant? _tenant;

    public async Task<TimeZoneInfo> ZoneAsync(CancellationToken cancellationToken) => (await TenantAsync(cancellationToken)).TimeZone;

    public async Task<DateOnly> TodayAsync(CancellationToken cancellationToken) => (await DayAsync(cancellationToken)).Today;

    /// <summary>The tenant's day now: its date, its next midnight and when its nightly window next opens.</summary>
    public async Task<TenantDay> DayAsync(CancellationToken cancellationToken) => DayOf(await TenantAsync(cancellationToken), clock.GetUtcNow());

    /// <summary>The one place a tenant's settings (zone, nightly window) become its calendar at a moment.</summary>
    public static TenantDay DayOf(Tenant tenant, DateTimeOffset now) => TenantDay.At(now, tenant.TimeZone, tenant.NightlyWindow);

    /// <summary>When the tenant's nightly window next opens after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextNightlyWindow(Tenant tenant, DateTimeOffset now) => DayOf(tenant, now).NextNightlyWindow;

    /// <summary>A wall-clock time in the tenant's zone as an instant (ambiguous or skipped local times resolve to standard time).</summary>
    public static DateTimeOffset ToInstant(DateTime localTime, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(localTime, DateTimeKind.Unspecified);
        var offset = zone.IsInvalidTime(unspecified) ? zone.BaseUtcOffset : zone.GetUtcOffset(unspecified);
        return new DateTimeOffset(unspecified, offset);
    }

    private async Task<Tenant> TenantAsync(CancellationToken cancellationToken) =>
        _tenant ??= await tenants.GetTenantAsync(user.TenantId, cancellationToken) ?? throw new NotFoundException("Tenant", user.TenantId);
}
