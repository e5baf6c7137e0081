using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Contacts.ListContacts;

/// <summary>Contacts, newest first, filtered as the contacts tray filters them, one keyset page at a time.</summary>
[RequiresPermission(Permissions.CrmRead)]
public sealed record ListContactsQuery(ContactFilter Filter, string? Cursor = null, int Limit = Cursor.DefaultLimit) : IPagedRequest, IRequest<Page<ContactDto>>;

public sealed class ListContactsQueryValidator : AbstractValidator<ListContactsQuery>
{
    public ListContactsQueryValidator()
    {
        this.AddPagingRules();
        RuleFor(q => q.Filter.Search).MaximumLength(200);
        RuleFor(q => q.Filter.AttemptsMin).GreaterThanOrEqualTo(0).OverridePropertyName("attemptsMin");
        RuleFor(q => q.Filter.AttemptsMax).GreaterThanOrEqualTo(q => q.Filter.AttemptsMin ?? 0).OverridePropertyName("attemptsMax")
            .WithMessage("'attemptsMax' must not be below 'attemptsMin' (nor 0).");
        RuleFor(q => q.Filter.LastContactTo).GreaterThanOrEqualTo(q => q.Filter.LastContactFrom)
            .When(q => q.Filter.LastContactFrom is not null && q.Filter.LastContactTo is not null)
            .OverridePropertyName("lastContactTo").WithMessage("'lastContactTo' must not be before 'lastContactFrom'.");
    }
}

public sealed class ListContactsQueryHandler(IReadStore store, CrmReferences references) : IRequestHandler<ListContactsQuery, Page<ContactDto>>
{
    public async Task<Page<ContactDto>> Handle(ListContactsQuery request, CancellationToken cancellationToken)
    {
        var filter = request.Filter;
        await references.BaseAsync(filter.BaseId, cancellationToken);
        await references.LotAsync(filter.LotId, cancellationToken);
        await references.SubcategoriesAsync([filter.SubcategoryId], cancellationToken);
        await references.UsersAsync([filter.UserId], "userId", mustBeActive: false, cancellationToken);

        var query = ContactsTray.Definition.Apply(store.Query<Contact>(), filter);
        if (Cursor.TryDecode(request.Cursor, out var after))
        {
            query = query.Where(c => c.Id.CompareTo(after.Id) < 0);
        }

        var rows = await store.ToListAsync(query.OrderByDescending(c => c.Id).Take(request.Limit + 1).Select(ContactDto.Projection), cancellationToken);
        return Cursor.ToPage(rows, request.Limit, c => new Cursor(c.CreatedAt, c.Id));
    }
}
