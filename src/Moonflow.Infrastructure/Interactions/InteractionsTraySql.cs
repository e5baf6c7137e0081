using Moonflow.Application.Common.Trays;
using Moonflow.Application.Interactions;
using Moonflow.Application.Interactions.ListInteractions;
using Moonflow.Domain.Interactions;
using Moonflow.Infrastructure.Exports;

namespace Moonflow.Infrastructure.Interactions;

/// <summary>The interactions tray's downloads in SQL: the rows <c>InteractionsTraySource</c> counts, by send time.</summary>
internal sealed class InteractionsTraySql : ITraySql
{
    public string Tray => InteractionColumns.TrayName;

    public TraySqlColumn Column(string key, string zone) => key switch
    {
        "clientDocumentType" => new("i.client_document_type"),
        "clientDocumentNumber" => new("i.client_document_number"),
        "clientName" => new("i.client_name"),
        "direction" => TraySqlColumn.Enum<InteractionDirection>("i.direction"),
        "channel" => TraySqlColumn.Enum<InteractionChannel>("i.channel"),
        "status" => TraySqlColumn.Enum<InteractionStatus>("i.status"),
        "scheduledAt" => new($"i.scheduled_at AT TIME ZONE {zone}"),
        "sentAt" => new($"i.sent_at AT TIME ZONE {zone}"),
        "campaign" => new("i.campaign"),
        "template" => new("i.template"),
        "portfolio" => new("i.portfolio"),
        "advisorName" => new("i.advisor_name"),
        "recipients" => new("i.recipients"),
        "message" => new("i.message"),
        "errorMessage" => new("i.error_message"),
        "lastAssociatedCommunication" => new("i.last_associated_communication"),
        "source" => TraySqlColumn.Enum<InteractionSource>("i.source"),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown interactions column."),
    };

    public string FromWhereOrderBy(TrayFile file, SqlValues values)
    {
        var filter = (InteractionFilter)file.Filters;
        var where = new SqlConditions(values)
            .Add(file.TenantId, v => $"i.tenant_id = {v}")
            .Add(file.Range.Start, v => $"i.send_at >= {v}")
            .Add(file.Range.End, v => $"i.send_at < {v}")
            .AddIf(filter.From, v => $"i.send_at >= {v}")
            .AddIf(filter.To, v => $"i.send_at <= {v}")
            .AddIf(filter.Directions?.Select(d => d.ToString()).ToArray(), v => $"i.direction = ANY({v})")
            .AddIf(filter.Statuses?.Select(s => s.ToString()).ToArray(), v => $"i.status = ANY({v})")
            .AddIf(filter.Channels?.Select(c => c.ToString()).ToArray(), v => $"i.channel = ANY({v})")
            .AddIf(filter.AdvisorId, v => $"i.advisor_id = {v}")
            .AddIf(filter.Campaign, v => $"i.campaign = {v}")
            .AddIf(filter.Template, v => $"i.template = {v}")
            .AddIf(filter.ClientId, v => $"i.client_id = {v}");
        return $"FROM interactions.interactions i WHERE {where} ORDER BY i.send_at, i.id";
    }
}
