using Moonflow.Domain.Common;

namespace Moonflow.Domain.Interactions;

/// <summary>A communication only moves forward: a read message cannot go back to scheduled.</summary>
public sealed class InteractionStatusMustMoveForwardRule(InteractionStatus from, InteractionStatus to) : IBusinessRule
{
    private static readonly Dictionary<InteractionStatus, InteractionStatus[]> Allowed = new()
    {
        [InteractionStatus.Scheduled] = [InteractionStatus.Sent, InteractionStatus.Failed, InteractionStatus.Cancelled],
        [InteractionStatus.Sent] = [InteractionStatus.Delivered, InteractionStatus.Read, InteractionStatus.Unread, InteractionStatus.Failed],
        [InteractionStatus.Delivered] = [InteractionStatus.Read, InteractionStatus.Unread],
        [InteractionStatus.Unread] = [InteractionStatus.Read],
        [InteractionStatus.Read] = [],
        [InteractionStatus.Failed] = [],
        [InteractionStatus.Cancelled] = [],
    };

    public string Code => "interaction_status_transition_not_allowed";

    public ErrorText Message => $"An interaction cannot go from {from} to {to}.";

    public bool IsBroken() => !Allowed[from].Contains(to);

    public static IReadOnlyCollection<InteractionStatus> Next(InteractionStatus from) => Allowed[from];
}

/// <summary>Every status after scheduling implies the message went out at a known time.</summary>
public sealed class SentInteractionNeedsSendTimeRule(InteractionStatus status, DateTimeOffset? sentAt) : IBusinessRule
{
    public string Code => "interaction_send_time_required";

    public ErrorText Message => $"An interaction that is {status} needs the date and time it was sent.";

    public bool IsBroken() => status is not (InteractionStatus.Scheduled or InteractionStatus.Cancelled) && sentAt is null;
}
