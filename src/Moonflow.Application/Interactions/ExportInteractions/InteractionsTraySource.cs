using System.Text.Json;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Trays;
using Moonflow.Application.Interactions.ListInteractions;
using Moonflow.Domain.Interactions;

namespace Moonflow.Application.Interactions.ExportInteractions;

/// <summary>The interactions tray as a download: the tray's filters and columns, by send date.</summary>
public sealed class InteractionsTraySource(IReadStore store) : ITraySource
{
    public string Tray => InteractionColumns.TrayName;

    public IReadOnlyList<TrayColumn> Columns => InteractionColumns.All;

    public IReadOnlyDictionary<string, string> Filters { get; } = new Dictionary<string, string>
    {
        ["directions"] = "outbound, inbound (array)",
        ["statuses"] = "scheduled, sent, delivered, read, unread, failed, cancelled (array)",
        ["channels"] = "whatsapp, sms, email, voice, push, rcs (array)",
        ["advisorId"] = "the advisor's user id",
        ["campaign"] = "flow, event or campaign name",
        ["template"] = "template name",
        ["clientId"] = "one client",
    };

    public object BindFilters(JsonElement? filters) => TrayFilters.Bind(filters, new InteractionFilter()) with { From = null, To = null };

    public Task<long> CountAsync(TrayRange range, object filters, CancellationToken cancellationToken) =>
        store.CountAsync(Query(range, filters), cancellationToken);

    private IQueryable<Interaction> Query(TrayRange range, object filters)
    {
        var (start, end) = (range.Start, range.End);
        return ((InteractionFilter)filters).Apply(store.Query<Interaction>()).Where(i => i.SendAt >= start && i.SendAt < end);
    }
}
