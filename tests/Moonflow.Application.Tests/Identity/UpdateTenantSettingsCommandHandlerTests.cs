using MediatR;
using Microsoft.Extensions.Time.Testing;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Identity;
using Moonflow.Application.Identity.TenantSettings.UpdateTenantSettings;
using Moonflow.Domain.Identity;
using NSubstitute;

namespace Moonflow.Application.Tests.Identity;

public sealed class UpdateTenantSettingsCommandHandlerTests
{
    /// <summary>2026-11-23 10:00 in Bogota.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);

    private readonly Tenant _tenant = Tenant.Create("demo", "Demo", "America/Bogota", Now);
    private readonly ITenantRepository _tenants = Substitute.For<ITenantRepository>();
    private readonly IMediator _mediator = Substitute.For<IMediator>();
    private readonly UserContext _caller = new();

    public UpdateTenantSettingsCommandHandlerTests()
    {
        _tenants.GetAsync(_tenant.Id, Arg.Any<CancellationToken>()).Returns(_tenant);
        _caller.SignInUser(_tenant.Id, Guid.NewGuid(), "admin@demo.test", RolePermissions.For(Role.Admin));
    }

    private UpdateTenantSettingsCommandHandler Handler() => new(_tenants, _mediator, _caller, new FakeTimeProvider(Now));

    [Fact]
    public async Task Handle_WhenWindowMoves_ChangesTheTenantAndTellsWhoFollowsIt()
    {
        var settings = await Handler().Handle(new UpdateTenantSettingsCommand("Asia/Tokyo", "04:30"), CancellationToken.None);

        Assert.Equal("Asia/Tokyo", settings.TimeZone);
        Assert.Equal("04:30", settings.NightlyWindow);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 4, 30, 0, TimeSpan.FromHours(9)), settings.NextNightlyWindow);
        Assert.Equal(new TimeOnly(4, 30), _tenant.NightlyWindow);
        await _mediator.Received(1).Publish(Arg.Is<TenantScheduleChanged>(n => n.Tenant == _tenant), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_WhenNothingChanges_TellsNoOne()
    {
        var settings = await Handler().Handle(new UpdateTenantSettingsCommand("America/Bogota", "02:00"), CancellationToken.None);

        Assert.Equal("02:00", settings.NightlyWindow);
        await _mediator.DidNotReceiveWithAnyArgs().Publish(Arg.Any<TenantScheduleChanged>(), Arg.Any<CancellationToken>());
    }

    [Theory]
    [InlineData("2:00")]
    [InlineData("02:00:00")]
    [InlineData("25:00")]
    [InlineData("")]
    [InlineData("2am")]
    public void Validator_WhenWindowIsNotHoursAndMinutes_NamesTheField(string window)
    {
        var result = new UpdateTenantSettingsCommandValidator().Validate(new UpdateTenantSettingsCommand("America/Bogota", window));

        Assert.Contains(result.Errors, e => e.PropertyName == nameof(UpdateTenantSettingsCommand.NightlyWindow) && e.ErrorMessage.Contains("HH:mm"));
    }

    [Fact]
    public void Validator_WhenZoneIsMissing_NamesTheField()
    {
        var result = new UpdateTenantSettingsCommandValidator().Validate(new UpdateTenantSettingsCommand(" ", "02:00"));

        Assert.Contains(result.Errors, e => e.PropertyName == nameof(UpdateTenantSettingsCommand.TimeZone));
    }
}
