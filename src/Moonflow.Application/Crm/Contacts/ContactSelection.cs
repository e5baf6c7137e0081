using FluentValidation;
using Moonflow.Application.Common.Persistence;
using Moonflow.Domain.Crm;

namespace Moonflow.Application.Crm.Contacts;

/// <summary>The contacts a bulk action targets: listed ids (a list selection) or every contact matching a filter, as for clients.</summary>
public interface IContactSelection
{
    IReadOnlyList<Guid>? ContactIds { get; }

    ContactFilter? Filter { get; }
}

public static class ContactSelectionRules
{
    public const int MaxListedIds = 10_000;

    public static void AddSelectionRules<T>(this AbstractValidator<T> validator)
        where T : IContactSelection
    {
        validator.RuleFor(c => c).Must(c => (c.ContactIds is null) != (c.Filter is null))
            .OverridePropertyName("contactIds").WithMessage("Give either 'contactIds' or 'filter', not both and not neither.");
        validator.RuleFor(c => c.ContactIds).Must(ids => ids is null || ids.Count is > 0 and <= MaxListedIds)
            .WithMessage($"'contactIds' must list between 1 and {MaxListedIds} ids; use 'filter' for more.");
    }

    public static IQueryable<Guid>? MatchingIds(this IContactSelection selection, IReadStore store) =>
        selection.Filter is { } filter ? ContactsTray.Definition.Apply(store.Query<Contact>(), filter).Select(c => c.Id) : null;

    public static IReadOnlyList<Guid>? ListedIds(this IContactSelection selection) => selection.ContactIds?.Distinct().ToList();

    /// <summary>A filter naming another tenant's base, lot, subcategory or user is a 404, as in the list.</summary>
    public static async Task CheckFilterAsync(this IContactSelection selection, CrmReferences references, CancellationToken cancellationToken)
    {
        if (selection.Filter is { } filter)
        {
            await references.BaseAsync(filter.BaseId, cancellationToken);
            await references.LotAsync(filter.LotId, cancellationToken);
            await references.SubcategoriesAsync([filter.SubcategoryId], cancellationToken);
            await references.UsersAsync([filter.UserId], "filter.userId", mustBeActive: false, cancellationToken);
        }
    }
}
