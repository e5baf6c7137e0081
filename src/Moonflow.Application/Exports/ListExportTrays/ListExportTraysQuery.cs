using MediatR;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Common.Trays;
using Moonflow.Domain.Exports;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Exports.ListExportTrays;

/// <summary>Every downloadable tray with its policy, formats, columns and filters: what a download dialog needs.</summary>
[RequiresPermission(Permissions.ExportsRequest)]
public sealed record ListExportTraysQuery : IRequest<IReadOnlyList<TrayDto>>;

public sealed record TrayDto(
    string Tray, bool OnlineAllowed, int OnlineMaxDays, long OnlineMaxRows, int DeferredMaxDays, IReadOnlyList<ExportFormat> Formats,
    IReadOnlyList<TrayColumn> Columns, IReadOnlyDictionary<string, string> Filters);

public sealed class ListExportTraysQueryHandler(IEnumerable<ITraySource> trays, IOptions<ExportOptions> options)
    : IRequestHandler<ListExportTraysQuery, IReadOnlyList<TrayDto>>
{
    public Task<IReadOnlyList<TrayDto>> Handle(ListExportTraysQuery request, CancellationToken cancellationToken)
    {
        IReadOnlyList<TrayDto> result = trays.OrderBy(t => t.Tray, StringComparer.Ordinal).Select(t =>
        {
            var policy = options.Value.PolicyFor(t.Tray);
            return new TrayDto(
                t.Tray, policy.OnlineAllowed, policy.OnlineMaxDays, policy.OnlineMaxRows, policy.DeferredMaxDays, [ExportFormat.Xlsx, ExportFormat.Csv],
                t.Columns, t.Filters);
        }).ToList();
        return Task.FromResult(result);
    }
}
