using Moonflow.Application.Common.Trays;
using Moonflow.Application.Receivables.Clients;
using Moonflow.Infrastructure.Exports;

namespace Moonflow.Infrastructure.Receivables;

/// <summary>The clients tray's downloads in SQL: the rows <c>ClientsTraySource</c> counts, by creation time.</summary>
internal sealed class ClientsTraySql : ITraySql
{
    public string Tray => "clients";

    public TraySqlColumn Column(string key, string zone) => key switch
    {
        "documentType" => new("c.document_type", FixedValues: true),
        "documentNumber" => new("c.document_number"),
        "name" => new("c.name"),
        "email" => new("c.email"),
        "phone" => new("c.phone"),
        "tags" => new("array_to_string(c.tags, '; ')"),
        "createdAt" => new($"c.created_at AT TIME ZONE {zone}"),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown clients column."),
    };

    public string FromWhereOrderBy(TrayFile file, SqlValues values)
    {
        var filter = (ClientFilter)file.Filters;
        var search = filter.Search?.Trim();
        var where = new SqlConditions(values)
            .Add(file.TenantId, v => $"c.tenant_id = {v}")
            .Add(file.Range.Start, v => $"c.created_at >= {v}")
            .Add(file.Range.End, v => $"c.created_at < {v}")
            .AddIf(search, v => $"(starts_with(c.document_number, {v}) OR strpos(lower(c.name), lower({v})) > 0)")
            .AddIf(filter.DocumentType?.ToString(), v => $"c.document_type = {v}")
            .AddIf(filter.Tag?.Trim().ToLowerInvariant(), v => $"c.tags @> ARRAY[{v}]");
        return $"FROM receivables.clients c WHERE {where} ORDER BY c.created_at, c.id";
    }
}
