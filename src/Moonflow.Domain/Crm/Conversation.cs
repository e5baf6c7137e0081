using Moonflow.Domain.Common;

namespace Moonflow.Domain.Crm;

/// <summary>A conversation on a digital channel, known by the channel's own id (unique per tenant); closed with a resolution.</summary>
public sealed class Conversation : AggregateRoot, ITenantOwned
{
    private Conversation()
    {
        ExternalId = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    /// <summary>The <c>ConversationId</c> of the channel (what a mass-close file lists).</summary>
    public string ExternalId { get; private set; }

    public ConversationChannel Channel { get; private set; }

    public Guid? ContactId { get; private set; }

    public ConversationStatus Status { get; private set; }

    public Guid? SubcategoryId { get; private set; }

    public DateTimeOffset OpenedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public Guid? ClosedBy { get; private set; }

    public static Conversation Open(Guid tenantId, string externalId, ConversationChannel channel, Guid? contactId, DateTimeOffset openedAt) => new()
    {
        Id = Guid.CreateVersion7(openedAt),
        TenantId = tenantId,
        ExternalId = Guard.Required(externalId, nameof(externalId), 100),
        Channel = channel,
        ContactId = contactId,
        Status = ConversationStatus.Open,
        OpenedAt = openedAt,
    };

    public void Close(Guid subcategoryId, Guid byUserId, DateTimeOffset now)
    {
        CheckRule(new ConversationMustBeOpenRule(this));
        Status = ConversationStatus.Closed;
        SubcategoryId = subcategoryId;
        ClosedAt = now;
        ClosedBy = byUserId;
    }
}

public enum ConversationChannel
{
    Whatsapp,
    Webchat,
    Facebook,
    Instagram,
    Email,
    Sms,
}

public enum ConversationStatus
{
    Open,
    Closed,
}

public sealed class ConversationMustBeOpenRule(Conversation conversation) : IBusinessRule
{
    public string Code => "conversation_closed";

    public ErrorText Message => $"The conversation {conversation.ExternalId} is already closed.";

    public bool IsBroken() => conversation.Status != ConversationStatus.Open;
}
