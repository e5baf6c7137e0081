using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Contacts.ListContactCalls;

/// <summary>A contact's call history, newest first.</summary>
[RequiresPermission(Permissions.CrmRead)]
public sealed record ListContactCallsQuery(Guid ContactId, string? Cursor = null, int Limit = Cursor.DefaultLimit) : IPagedRequest, IRequest<Page<CallDto>>;

public sealed class ListContactCallsQueryValidator : AbstractValidator<ListContactCallsQuery>
{
    public ListContactCallsQueryValidator() => this.AddPagingRules();
}

public sealed class ListContactCallsQueryHandler(IReadStore store, CrmReferences references) : IRequestHandler<ListContactCallsQuery, Page<CallDto>>
{
    public async Task<Page<CallDto>> Handle(ListContactCallsQuery request, CancellationToken cancellationToken)
    {
        await references.ContactAsync(request.ContactId, cancellationToken);
        var query = store.Query<CallRecord>().Where(c => c.ContactId == request.ContactId);
        if (Cursor.TryDecode(request.Cursor, out var after))
        {
            query = query.Where(c => c.At <= after.At && (c.At < after.At || c.Id.CompareTo(after.Id) < 0));
        }

        var rows = await store.ToListAsync(
            query.OrderByDescending(c => c.At).ThenByDescending(c => c.Id).Take(request.Limit + 1).Select(CallDto.Projection), cancellationToken);
        return Cursor.ToPage(rows, request.Limit, c => new Cursor(c.At, c.Id));
    }
}
