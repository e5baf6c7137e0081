using Moonflow.Domain.Common;
using Moonflow.Domain.Interactions;

namespace Moonflow.Domain.Tests.Interactions;

public sealed class InteractionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Register_WhenSentWithALocalOffset_KeepsTheInstantInUtc()
    {
        var sentAt = new DateTimeOffset(2026, 10, 1, 9, 30, 0, TimeSpan.FromHours(-5));

        var interaction = Interaction.Register(Details(), InteractionStatus.Read, null, sentAt, InteractionSource.Imported, Now);

        Assert.Equal(TimeSpan.Zero, interaction.SentAt!.Value.Offset);
        Assert.Equal(sentAt, interaction.SentAt);
        Assert.Equal(interaction.SentAt, interaction.SendAt);
        Assert.Equal(InteractionSource.Imported, interaction.Source);
    }

    [Fact]
    public void Register_WhenDeliveredWithoutSendTime_BreaksTheSendTimeRule()
    {
        var error = Assert.Throws<BusinessRuleValidationException>(() =>
            Interaction.Register(Details(), InteractionStatus.Delivered, Now, null, InteractionSource.Platform, Now));

        Assert.Equal("interaction_send_time_required", error.BrokenRule.Code);
    }

    [Fact]
    public void Register_WhenScheduled_SortsByTheScheduledDate()
    {
        var interaction = Interaction.Register(Details(), InteractionStatus.Scheduled, Now.AddDays(1), null, InteractionSource.Platform, Now);

        Assert.Null(interaction.SentAt);
        Assert.Equal(Now.AddDays(1), interaction.SendAt);
    }

    [Theory]
    [InlineData(InteractionStatus.Scheduled, InteractionStatus.Sent)]
    [InlineData(InteractionStatus.Sent, InteractionStatus.Delivered)]
    [InlineData(InteractionStatus.Delivered, InteractionStatus.Read)]
    [InlineData(InteractionStatus.Unread, InteractionStatus.Read)]
    [InlineData(InteractionStatus.Scheduled, InteractionStatus.Cancelled)]
    public void ChangeStatus_WhenMovingForward_IsAllowed(InteractionStatus from, InteractionStatus to)
    {
        var interaction = In(from);

        interaction.ChangeStatus(to, Now);

        Assert.Equal(to, interaction.Status);
    }

    [Theory]
    [InlineData(InteractionStatus.Read, InteractionStatus.Scheduled)]
    [InlineData(InteractionStatus.Read, InteractionStatus.Unread)]
    [InlineData(InteractionStatus.Failed, InteractionStatus.Sent)]
    [InlineData(InteractionStatus.Delivered, InteractionStatus.Sent)]
    [InlineData(InteractionStatus.Cancelled, InteractionStatus.Sent)]
    public void ChangeStatus_WhenGoingBack_BreaksTheForwardOnlyRule(InteractionStatus from, InteractionStatus to)
    {
        var interaction = In(from);

        var error = Assert.Throws<BusinessRuleValidationException>(() => interaction.ChangeStatus(to, Now));

        Assert.Equal("interaction_status_transition_not_allowed", error.BrokenRule.Code);
        Assert.Equal(from, interaction.Status);
    }

    [Fact]
    public void ChangeStatus_WhenAScheduledMessageIsSent_StampsTheSendTime()
    {
        var interaction = In(InteractionStatus.Scheduled);

        interaction.ChangeStatus(InteractionStatus.Sent, Now.AddHours(2));

        Assert.Equal(Now.AddHours(2), interaction.SentAt);
        Assert.Equal(Now.AddHours(2), interaction.SendAt);
    }

    [Fact]
    public void ChangeStatus_WhenFailedWithoutReason_RecordsThatNoReasonCame()
    {
        var interaction = In(InteractionStatus.Sent);

        interaction.ChangeStatus(InteractionStatus.Failed, Now);

        Assert.Equal("Failed without a reason from the channel.", interaction.ErrorMessage);
    }

    private static Interaction In(InteractionStatus status)
    {
        var scheduled = status is InteractionStatus.Scheduled or InteractionStatus.Cancelled;
        return Interaction.Register(Details(), status, scheduled ? Now.AddDays(1) : null, scheduled ? null : Now.AddHours(-1), InteractionSource.Platform, Now);
    }

    private static InteractionDetails Details() =>
        new(Guid.NewGuid(), Guid.NewGuid(), "CC", "1020304050", "Ana Gómez", InteractionDirection.Outbound, InteractionChannel.Whatsapp, "+57 3001112233");
}
