using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Entities.ListEntityRecords;

[RequiresPermission(Permissions.CrmRead)]
public sealed record ListEntityRecordsQuery(Guid EntityId, string? Cursor = null, int Limit = Cursor.DefaultLimit) : IPagedRequest, IRequest<Page<EntityRecordDto>>;

public sealed class ListEntityRecordsQueryValidator : AbstractValidator<ListEntityRecordsQuery>
{
    public ListEntityRecordsQueryValidator() => this.AddPagingRules();
}

public sealed class ListEntityRecordsQueryHandler(IReadStore store) : IRequestHandler<ListEntityRecordsQuery, Page<EntityRecordDto>>
{
    public async Task<Page<EntityRecordDto>> Handle(ListEntityRecordsQuery request, CancellationToken cancellationToken)
    {
        if (await store.CountAsync(store.Query<CrmEntity>().Where(e => e.Id == request.EntityId), cancellationToken) == 0)
        {
            throw new NotFoundException("Entity", request.EntityId);
        }

        var query = store.Query<EntityRecord>().Where(r => r.EntityId == request.EntityId);
        if (Cursor.TryDecode(request.Cursor, out var after))
        {
            query = query.Where(r => r.Id.CompareTo(after.Id) < 0);
        }

        var rows = await store.ToListAsync(query.OrderByDescending(r => r.Id).Take(request.Limit + 1).Select(EntityRecordDto.Projection), cancellationToken);
        return Cursor.ToPage(rows, request.Limit, r => new Cursor(r.CreatedAt, r.Id));
    }
}
