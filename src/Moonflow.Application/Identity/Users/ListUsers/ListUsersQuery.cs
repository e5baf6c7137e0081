using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity.Users.ListUsers;

/// <summary>The tenant's users, newest first, by role and whether they are active, one keyset page at a time.</summary>
[RequiresPermission(Permissions.UsersManage)]
public sealed record ListUsersQuery(Role? Role = null, bool? Active = null, string? Cursor = null, int Limit = Common.Paging.Cursor.DefaultLimit)
    : IPagedRequest, IRequest<Page<UserDto>>;

public sealed class ListUsersQueryValidator : AbstractValidator<ListUsersQuery>
{
    public ListUsersQueryValidator()
    {
        this.AddPagingRules();
        RuleFor(q => q.Role).IsInEnum();
    }
}

public sealed class ListUsersQueryHandler(IReadStore store) : IRequestHandler<ListUsersQuery, Page<UserDto>>
{
    public async Task<Page<UserDto>> Handle(ListUsersQuery request, CancellationToken cancellationToken)
    {
        var query = store.Query<User>();
        if (request.Role is { } role)
        {
            query = query.Where(u => u.Role == role);
        }

        if (request.Active is { } active)
        {
            query = query.Where(u => u.IsActive == active);
        }

        if (Cursor.TryDecode(request.Cursor, out var after))
        {
            query = query.Where(u => u.Id.CompareTo(after.Id) < 0);
        }

        var rows = await store.ToListAsync(query.OrderByDescending(u => u.Id).Take(request.Limit + 1).Select(UserRow.Projection), cancellationToken);
        var page = Cursor.ToPage(rows, request.Limit, u => new Cursor(u.CreatedAt, u.Id));
        return new Page<UserDto>(page.Items.Select(u => u.ToDto()).ToList(), page.NextCursor);
    }
}
