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
    public void Create_WhenTimeZoneUnknown_IsRejected(string zone) =>
        RuleAssert.Invalid("timeZoneId", () => Tenant.Create("demo", "Demo", zone, Now));

    [Fact]
    public void Create_WhenTimeZoneMissing_IsRejected() => RuleAssert.Invalid("timeZoneId", () => Tenant.Create("demo", "Demo", " ", Now));

    [Fact]
    public void Create_WhenSlugBlank_IsRejected() => RuleAssert.Invalid("slug", () => Tenant.Create(" ", "Demo", "America/Bogota", Now));
}
