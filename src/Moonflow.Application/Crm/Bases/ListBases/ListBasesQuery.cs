using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Bases.ListBases;

/// <summary>The campaign bases, newest first, each with how many contacts it holds now.</summary>
[RequiresPermission(Permissions.CrmRead)]
public sealed record ListBasesQuery(string? Cursor = null, int Limit = Cursor.DefaultLimit) : IPagedRequest, IRequest<Page<BaseDto>>;

public sealed class ListBasesQueryValidator : AbstractValidator<ListBasesQuery>
{
    public ListBasesQueryValidator() => this.AddPagingRules();
}

public sealed class ListBasesQueryHandler(IReadStore store) : IRequestHandler<ListBasesQuery, Page<BaseDto>>
{
    public async Task<Page<BaseDto>> Handle(ListBasesQuery request, CancellationToken cancellationToken)
    {
        var query = store.Query<CampaignBase>();
        if (Cursor.TryDecode(request.Cursor, out var after))
        {
            query = query.Where(b => b.Id.CompareTo(after.Id) < 0);
        }

        var contacts = store.Query<Contact>();
        var rows = await store.ToListAsync(
            query.OrderByDescending(b => b.Id).Take(request.Limit + 1)
                .Select(b => new BaseDto(b.Id, b.Name, contacts.LongCount(c => c.BaseIds.Contains(b.Id)), b.CreatedAt)),
            cancellationToken);
        return Cursor.ToPage(rows, request.Limit, b => new Cursor(b.CreatedAt, b.Id));
    }
}
