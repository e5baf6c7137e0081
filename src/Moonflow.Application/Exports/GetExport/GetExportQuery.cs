using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Exports.ListExports;
using Moonflow.Domain.Exports;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Exports.GetExport;

[RequiresPermission(Permissions.ExportsRequest)]
public sealed record GetExportQuery(Guid ExportId) : IRequest<ExportDto>;

public sealed class GetExportQueryHandler(IReadStore store, ICurrentUser user) : IRequestHandler<GetExportQuery, ExportDto>
{
    public async Task<ExportDto> Handle(GetExportQuery request, CancellationToken cancellationToken)
    {
        var export = await store.FirstOrDefaultAsync(store.Query<ExportRequest>().VisibleTo(user).Where(e => e.Id == request.ExportId), cancellationToken);
        return export is null ? throw new NotFoundException("Export", request.ExportId) : ExportDto.Of(export);
    }
}
