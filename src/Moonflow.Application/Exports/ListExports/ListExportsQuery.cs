using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Exports;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Exports.ListExports;

/// <summary>Download history, newest first: the caller's own, or the tenant's for those who see every process.</summary>
[RequiresPermission(Permissions.ExportsRequest)]
public sealed record ListExportsQuery(string? Tray = null, string? Cursor = null, int Limit = Cursor.DefaultLimit) : IPagedRequest, IRequest<Page<ExportDto>>;

public sealed class ListExportsQueryValidator : AbstractValidator<ListExportsQuery>
{
    public ListExportsQueryValidator()
    {
        this.AddPagingRules();
    }
}

public sealed class ListExportsQueryHandler(IReadStore store, ICurrentUser user) : IRequestHandler<ListExportsQuery, Page<ExportDto>>
{
    public async Task<Page<ExportDto>> Handle(ListExportsQuery request, CancellationToken cancellationToken)
    {
        var query = store.Query<ExportRequest>().VisibleTo(user);
        if (!string.IsNullOrWhiteSpace(request.Tray))
        {
            query = query.Where(e => e.Tray == request.Tray);
        }

        if (Cursor.TryDecode(request.Cursor, out var after))
        {
            query = query.Where(e => e.Id.CompareTo(after.Id) < 0);
        }

        var rows = await store.ToListAsync(query.OrderByDescending(e => e.Id).Take(request.Limit + 1), cancellationToken);
        var page = Cursor.ToPage(rows, request.Limit, e => new Cursor(e.RequestedAt, e.Id));
        return new Page<ExportDto>(page.Items.Select(ExportDto.Of).ToList(), page.NextCursor);
    }
}

internal static class ExportVisibility
{
    public static IQueryable<ExportRequest> VisibleTo(this IQueryable<ExportRequest> query, ICurrentUser user) =>
        user.Has(Permissions.ProcessesReadAll) ? query : query.Where(e => e.RequestedBy == user.ActorId);
}
