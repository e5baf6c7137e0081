using Moonflow.Application.Common.Trays;
using Moonflow.Domain.Interactions;

namespace Moonflow.Application.Interactions;

/// <summary>
/// The interactions tray (seed 001), defined once for its list, its count and its downloads: by send date, with the
/// columns a user can add or remove ("Agregar/Quitar columnas") and the tray's filters.
/// </summary>
public sealed class InteractionsTray : TrayDefinition<Interaction, InteractionFilter>
{
    public const string Name = "interactions";

    private InteractionsTray()
        : base(Name, new InteractionFilter(), (i, range) => i.SendAt >= range.Start && i.SendAt < range.End, i => i.SendAt, i => i.Id)
    {
        Column("clientDocumentType", "Tipo de documento", "Document type", i => i.ClientDocumentType);
        Column("clientDocumentNumber", "Número de documento", "Document number", i => i.ClientDocumentNumber);
        Column("clientName", "Cliente", "Client", i => i.ClientName);
        Column("direction", "Tipo de comunicación", "Direction", i => i.Direction);
        Column("channel", "Canal", "Channel", i => i.Channel);
        Column("status", "Estado", "Status", i => i.Status);
        Column("scheduledAt", "Fecha de envío programada", "Scheduled send date", i => i.ScheduledAt, shownByDefault: false);
        Column("sentAt", "Fecha de envío real", "Actual send date", i => i.SentAt);
        Column("campaign", "Flujo / evento / campaña", "Flow / event / campaign", i => i.Campaign);
        Column("template", "Plantilla", "Template", i => i.Template);
        Column("portfolio", "Cartera", "Portfolio", i => i.Portfolio, shownByDefault: false);
        Column("advisorName", "Asesor", "Advisor", i => i.AdvisorName, shownByDefault: false);
        Column("recipients", "Destinatarios", "Recipients", i => i.Recipients, shownByDefault: false);
        Column("message", "Mensaje", "Message", i => i.Message, shownByDefault: false);
        Column("errorMessage", "Mensaje de error", "Error message", i => i.ErrorMessage, shownByDefault: false);
        Column("lastAssociatedCommunication", "Última comunicación asociada", "Last associated communication", i => i.LastAssociatedCommunication, shownByDefault: false);
        Column("source", "Origen", "Source", i => i.Source, shownByDefault: false);

        // A download's range is its own (calendar days); these bounds are the list's.
        Filter(f => f.From, "sent at or after (an instant)", (i, from) => i.SendAt >= from.ToUniversalTime(), inDownloads: false);
        Filter(f => f.To, "sent at or before (an instant)", (i, to) => i.SendAt <= to.ToUniversalTime(), inDownloads: false);
        Filter(f => f.Directions, null, (i, directions) => directions.Contains(i.Direction));
        Filter(f => f.Statuses, null, (i, statuses) => statuses.Contains(i.Status));
        Filter(f => f.Channels, null, (i, channels) => channels.Contains(i.Channel));
        Filter(f => f.AdvisorId, "the advisor's user id", (i, advisor) => i.AdvisorId == advisor);
        Filter(f => f.Campaign, "flow, event or campaign name", (i, campaign) => i.Campaign == campaign);
        Filter(f => f.Template, "template name", (i, template) => i.Template == template);
        Filter(f => f.ClientId, "one client", (i, client) => i.ClientId == client);
    }

    public static InteractionsTray Definition { get; } = new();
}

/// <summary>Filters of the interactions tray; several values of one filter match any of them.</summary>
public sealed record InteractionFilter(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    IReadOnlyList<InteractionDirection>? Directions = null,
    IReadOnlyList<InteractionStatus>? Statuses = null,
    IReadOnlyList<InteractionChannel>? Channels = null,
    Guid? AdvisorId = null,
    string? Campaign = null,
    string? Template = null,
    Guid? ClientId = null);
