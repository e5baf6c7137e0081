using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Categories.CreateCategory;

[RequiresPermission(Permissions.CrmProcesses)]
public sealed record CreateCategoryCommand(string Name, IReadOnlyList<string> Subcategories) : IRequest<CategoryDto>, ITransactionalCommand;

public sealed class CreateCategoryCommandValidator : AbstractValidator<CreateCategoryCommand>
{
    public CreateCategoryCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
        RuleFor(c => c.Subcategories).NotNull().Must(s => s is { Count: > 0 and <= 200 }).WithMessage("Give between 1 and 200 subcategories.");
        RuleForEach(c => c.Subcategories).NotEmpty().MaximumLength(200);
    }
}

public sealed class CreateCategoryCommandHandler(ICrmRepository crm, IReadStore store, ICurrentUser user, TimeProvider clock)
    : IRequestHandler<CreateCategoryCommand, CategoryDto>
{
    public async Task<CategoryDto> Handle(CreateCategoryCommand request, CancellationToken cancellationToken)
    {
        var name = request.Name.Trim();
        if (await store.CountAsync(store.Query<Category>().Where(c => c.Name == name), cancellationToken) > 0)
        {
            throw new ConflictException("category_exists", $"A category named '{name}' already exists.");
        }

        var category = Category.Create(user.TenantId, name, request.Subcategories, clock.GetUtcNow());
        crm.Add(category);
        return new CategoryDto(category.Id, category.Name, category.Subcategories.Select(s => new SubcategoryDto(s.Id, s.Name)).ToList());
    }
}
