using Moonflow.Domain.Common;

namespace Moonflow.Domain.Interactions;

/// <summary>
/// One communication between the tenant and a client. The client's document and name are kept as they were
/// when it happened, so the tray and its exports read one table.
/// </summary>
public sealed class Interaction : AggregateRoot, ITenantOwned
{
    public const int MaxRecipientsLength = 500;
    public const int MaxMessageLength = 4000;

    private Interaction()
    {
        ClientDocumentNumber = ClientName = Recipients = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid ClientId { get; private set; }

    public string ClientDocumentType { get; private set; } = string.Empty;

    public string ClientDocumentNumber { get; private set; }

    public string ClientName { get; private set; }

    public InteractionDirection Direction { get; private set; }

    public InteractionChannel Channel { get; private set; }

    public InteractionStatus Status { get; private set; }

    public DateTimeOffset? ScheduledAt { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    /// <summary>The date the tray filters and sorts by: when it was sent, or when it is scheduled to be.</summary>
    public DateTimeOffset SendAt { get; private set; }

    /// <summary>Flow, event or campaign the communication belongs to.</summary>
    public string? Campaign { get; private set; }

    public string? Template { get; private set; }

    /// <summary>Cartera (portfolio) name.</summary>
    public string? Portfolio { get; private set; }

    public Guid? AdvisorId { get; private set; }

    public string? AdvisorName { get; private set; }

    public string Recipients { get; private set; }

    public string? Message { get; private set; }

    public string? ErrorMessage { get; private set; }

    public string? LastAssociatedCommunication { get; private set; }

    public InteractionSource Source { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static Interaction Register(InteractionDetails details, InteractionStatus status, DateTimeOffset? scheduledAt, DateTimeOffset? sentAt, InteractionSource source, DateTimeOffset now)
    {
        CheckRule(new SentInteractionNeedsSendTimeRule(status, sentAt));

        // Instants are kept in UTC; the tenant's zone only matters when showing them.
        scheduledAt = scheduledAt?.ToUniversalTime();
        sentAt = sentAt?.ToUniversalTime();
        var sendAt = sentAt ?? scheduledAt ?? throw new DomainValidationException(nameof(scheduledAt), "An interaction needs a send or scheduled date.");
        return new Interaction
        {
            Id = Guid.CreateVersion7(now),
            TenantId = details.TenantId,
            ClientId = details.ClientId,
            ClientDocumentType = Guard.Required(details.ClientDocumentType, "clientDocumentType", 10),
            ClientDocumentNumber = Guard.Required(details.ClientDocumentNumber, "clientDocumentNumber", 30),
            ClientName = Guard.Required(details.ClientName, "clientName", 200),
            Direction = details.Direction,
            Channel = details.Channel,
            Status = status,
            ScheduledAt = scheduledAt,
            SentAt = sentAt,
            SendAt = sendAt,
            Campaign = Guard.Optional(details.Campaign, "campaign", 200),
            Template = Guard.Optional(details.Template, "template", 200),
            Portfolio = Guard.Optional(details.Portfolio, "portfolio", 200),
            AdvisorId = details.AdvisorId,
            AdvisorName = Guard.Optional(details.AdvisorName, "advisorName", 200),
            Recipients = Guard.Required(details.Recipients, "recipients", MaxRecipientsLength),
            Message = Guard.Optional(details.Message, "message", MaxMessageLength),
            ErrorMessage = Guard.Optional(details.ErrorMessage, "errorMessage", 1000),
            Source = source,
            CreatedAt = now,
        };
    }

    /// <summary>Moves the communication along its life; sending stamps the send time.</summary>
    public void ChangeStatus(InteractionStatus next, DateTimeOffset at, string? errorMessage = null)
    {
        CheckRule(new InteractionStatusMustMoveForwardRule(Status, next));
        if (Status == InteractionStatus.Scheduled && next is InteractionStatus.Sent or InteractionStatus.Failed)
        {
            SentAt = at.ToUniversalTime();
            SendAt = at.ToUniversalTime();
        }

        Status = next;
        if (next == InteractionStatus.Failed)
        {
            ErrorMessage = Guard.Optional(errorMessage, nameof(errorMessage), 1000) ?? "Failed without a reason from the channel.";
        }
    }

    public void AssociateWith(Interaction previous) =>
        LastAssociatedCommunication = $"{previous.Channel} {previous.SendAt:yyyy-MM-dd HH:mm} ({previous.Status})";
}

/// <summary>What every interaction says about itself, whatever its source.</summary>
public sealed record InteractionDetails(
    Guid TenantId,
    Guid ClientId,
    string ClientDocumentType,
    string ClientDocumentNumber,
    string ClientName,
    InteractionDirection Direction,
    InteractionChannel Channel,
    string Recipients,
    string? Campaign = null,
    string? Template = null,
    string? Portfolio = null,
    Guid? AdvisorId = null,
    string? AdvisorName = null,
    string? Message = null,
    string? ErrorMessage = null);
