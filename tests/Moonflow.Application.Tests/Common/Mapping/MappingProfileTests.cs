using AutoMapper;
using Microsoft.Extensions.Logging.Abstractions;
using Moonflow.Application.Common.Mapping;
using Moonflow.Application.Identity.ApiKeys;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Tests.Common.Mapping;

public sealed class MappingProfileTests
{
    private static readonly MapperConfiguration Configuration = new(c => c.AddProfile<MappingProfile>(), NullLoggerFactory.Instance);

    [Fact]
    public void Configuration_WhenBuilt_MapsEveryDestinationMember()
    {
        Configuration.AssertConfigurationIsValid();
    }

    [Fact]
    public void Map_WhenApiKeyIsRevoked_CarriesEveryFieldButTheSecret()
    {
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var admin = User.Create(Guid.NewGuid(), "admin@demo.test", "Admin", Role.Admin, "hash", now);
        var key = ApiKey.Issue(admin.TenantId, "ERP", "abc123", "secret-hash", [Permissions.ClientsRead], admin, now);
        key.Revoke(now.AddHours(1));

        var dto = Configuration.CreateMapper().Map<ApiKeyDto>(key);

        Assert.Equal((key.Id, "ERP", "abc123", now, (DateTimeOffset?)now.AddHours(1)), (dto.Id, dto.Name, dto.Prefix, dto.CreatedAt, dto.RevokedAt));
        Assert.Equal([Permissions.ClientsRead], dto.Permissions);
    }
}
