using Moonflow.Domain.Identity;
using Moonflow.Domain.Tests.Support;

namespace Moonflow.Domain.Tests.Identity;

public sealed class TenantTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_WhenSlugHasCapitals_StoresItLowerCaseAndTrimmed()
    {
        var tenant = Tenant.Create(" Demo-Co ", "Demo Co", "America/Bogota", Now);

        Assert.Equal("demo-co", tenant.Slug);
        Assert.Equal("Demo Co", tenant.Name);
        Assert.Equal("America/Bogota", tenant.TimeZoneId);
        Assert.Equal(Now, tenant.CreatedAt);
    }

    [Fact]
    public void TimeZone_WhenBogota_IsFiveHoursBehindUtc()
    {
        var tenant = Tenant.Create("demo", "Demo", "America/Bogota", Now);

        Assert.Equal(TimeSpan.FromHours(-5), tenant.TimeZone.GetUtcOffset(Now));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("GMT+25")]
    [InlineData("SA Pacific Standard Time")] // Windows' name for Bogota's zone: not an IANA id
    public void Create_WhenTimeZoneUnknown_IsRejected(string zone) =>
        RuleAssert.Broken("unknown_time_zone", () => Tenant.Create("demo", "Demo", zone, Now));

    [Fact]
    public void Create_WhenNew_OpensItsNightlyWindowAtTwoInTheMorning()
    {
        var tenant = Tenant.Create("demo", "Demo", "America/Bogota", Now);

        Assert.Equal(new TimeOnly(2, 0), tenant.NightlyWindow);
    }

    [Fact]
    public void ChangeSchedule_WhenZoneAndWindowAreNew_TakesThemAndSaysSo()
    {
        var tenant = Tenant.Create("demo", "Demo", "America/Bogota", Now);

        var changed = tenant.ChangeSchedule("Asia/Tokyo", new TimeOnly(4, 30));

        Assert.True(changed);
        Assert.Equal("Asia/Tokyo", tenant.TimeZoneId);
        Assert.Equal(new TimeOnly(4, 30), tenant.NightlyWindow);
        Assert.Equal(TimeSpan.FromHours(9), tenant.TimeZone.GetUtcOffset(Now));
    }

    [Fact]
    public void ChangeSchedule_WhenNothingDiffers_SaysNothingChanged()
    {
        var tenant = Tenant.Create("demo", "Demo", "America/Bogota", Now);

        Assert.False(tenant.ChangeSchedule("America/Bogota", new TimeOnly(2, 0)));
    }

    [Fact]
    public void ChangeSchedule_WhenZoneUnknown_KeepsTheOldSchedule()
    {
        var tenant = Tenant.Create("demo", "Demo", "America/Bogota", Now);

        RuleAssert.Broken("unknown_time_zone", () => tenant.ChangeSchedule("Mars/Olympus_Mons", new TimeOnly(4, 0)));
        Assert.Equal("America/Bogota", tenant.TimeZoneId);
        Assert.Equal(new TimeOnly(2, 0), tenant.NightlyWindow);
    }

    [Fact]
    public void ChangeSchedule_WhenWindowHasSeconds_IsRejected()
    {
        var tenant = Tenant.Create("demo", "Demo", "America/Bogota", Now);

        RuleAssert.Invalid("nightlyWindow", () => tenant.ChangeSchedule("America/Bogota", new TimeOnly(2, 0, 30)));
    }

    [Fact]
    public void Create_WhenTimeZoneMissing_IsRejected() => RuleAssert.Invalid("timeZoneId", () => Tenant.Create("demo", "Demo", " ", Now));

    [Fact]
    public void Create_WhenSlugBlank_IsRejected() => RuleAssert.Invalid("slug", () => Tenant.Create(" ", "Demo", "America/Bogota", Now));

    [Fact]
    public void ChangeLanguage_WhenSpanishOrEnglish_IsTheLanguageOfItsEmails()
    {
        var tenant = Tenant.Create("lang", "Lang", "America/Bogota", DateTimeOffset.UtcNow);
        Assert.Equal("es", tenant.Language);

        tenant.ChangeLanguage("EN");

        Assert.Equal("en", tenant.Language);
        RuleAssert.Invalid("language", () => tenant.ChangeLanguage("fr"));
    }
}
