using System.Linq.Expressions;
using Moonflow.Domain.Interactions;

namespace Moonflow.Application.Interactions;

public sealed record InteractionDto(
    Guid Id,
    Guid ClientId,
    string ClientDocumentType,
    string ClientDocumentNumber,
    string ClientName,
    InteractionDirection Direction,
    InteractionChannel Channel,
    InteractionStatus Status,
    DateTimeOffset? ScheduledAt,
    DateTimeOffset? SentAt,
    DateTimeOffset SendAt,
    string? Campaign,
    string? Template,
    string? Portfolio,
    Guid? AdvisorId,
    string? AdvisorName,
    string Recipients,
    string? Message,
    string? ErrorMessage,
    string? LastAssociatedCommunication,
    InteractionSource Source)
{
    public static readonly Expression<Func<Interaction, InteractionDto>> Projection = i => new InteractionDto(
        i.Id, i.ClientId, i.ClientDocumentType, i.ClientDocumentNumber, i.ClientName, i.Direction, i.Channel, i.Status, i.ScheduledAt,
        i.SentAt, i.SendAt, i.Campaign, i.Template, i.Portfolio, i.AdvisorId, i.AdvisorName, i.Recipients, i.Message, i.ErrorMessage,
        i.LastAssociatedCommunication, i.Source);
}
