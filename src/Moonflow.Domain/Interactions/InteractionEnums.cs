namespace Moonflow.Domain.Interactions;

public enum InteractionDirection
{
    Outbound,
    Inbound,
}

public enum InteractionChannel
{
    Whatsapp,
    Sms,
    Email,
    Voice,
    Push,
    Rcs,
}

/// <summary>Where a communication's state can be in its life (glossary of the interactions tray).</summary>
public enum InteractionStatus
{
    Scheduled,
    Sent,
    Delivered,
    Read,
    Unread,
    Failed,
    Cancelled,
}

public enum InteractionSource
{
    /// <summary>Sent by Moonflow itself.</summary>
    Platform,

    /// <summary>Registered from a bulk upload of communications made outside the platform; nothing was sent.</summary>
    Imported,
}
