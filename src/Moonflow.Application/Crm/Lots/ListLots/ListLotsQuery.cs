using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Lots.ListLots;

/// <summary>The lots, newest first, each with how many contacts it loaded that still exist.</summary>
[RequiresPermission(Permissions.CrmRead)]
public sealed record ListLotsQuery(string? Cursor = null, int Limit = Cursor.DefaultLimit) : IPagedRequest, IRequest<Page<LotDto>>;

public sealed class ListLotsQueryValidator : AbstractValidator<ListLotsQuery>
{
    public ListLotsQueryValidator() => this.AddPagingRules();
}

public sealed class ListLotsQueryHandler(IReadStore store) : IRequestHandler<ListLotsQuery, Page<LotDto>>
{
    public async Task<Page<LotDto>> Handle(ListLotsQuery request, CancellationToken cancellationToken)
    {
        var query = store.Query<Lot>();
        if (Cursor.TryDecode(request.Cursor, out var after))
        {
            query = query.Where(l => l.Id.CompareTo(after.Id) < 0);
        }

        var contacts = store.Query<Contact>();
        var rows = await store.ToListAsync(
            query.OrderByDescending(l => l.Id).Take(request.Limit + 1)
                .Select(l => new LotDto(l.Id, l.Name, l.LoadedAt, contacts.LongCount(c => c.LotId == l.Id))),
            cancellationToken);
        return Cursor.ToPage(rows, request.Limit, l => new Cursor(l.LoadedAt, l.Id));
    }
}
