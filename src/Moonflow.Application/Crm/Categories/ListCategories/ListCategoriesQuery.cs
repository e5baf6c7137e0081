using MediatR;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Categories.ListCategories;

/// <summary>Every category of the tenant with its subcategories (a short, tenant-curated list: no paging).</summary>
[RequiresPermission(Permissions.CrmRead)]
public sealed record ListCategoriesQuery : IRequest<IReadOnlyList<CategoryDto>>;

public sealed class ListCategoriesQueryHandler(IReadStore store) : IRequestHandler<ListCategoriesQuery, IReadOnlyList<CategoryDto>>
{
    public async Task<IReadOnlyList<CategoryDto>> Handle(ListCategoriesQuery request, CancellationToken cancellationToken) =>
        await store.ToListAsync(
            store.Query<Category>().OrderBy(c => c.Name)
                .Select(c => new CategoryDto(c.Id, c.Name, c.Subcategories.OrderBy(s => s.Name).Select(s => new SubcategoryDto(s.Id, s.Name)).ToList())),
            cancellationToken);
}
