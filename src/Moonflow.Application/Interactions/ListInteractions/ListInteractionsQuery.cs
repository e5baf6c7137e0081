using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Common.Trays;
using Moonflow.Application.Identity.Preferences;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Interactions;

namespace Moonflow.Application.Interactions.ListInteractions;

/// <summary>
/// The interactions tray: filtered, sorted by send date, one keyset page at a time, with the columns the caller
/// asked for (or their saved choice, or the defaults).
/// </summary>
[RequiresPermission(Permissions.InteractionsRead)]
public sealed record ListInteractionsQuery(
    InteractionFilter Filter,
    bool Ascending = false,
    IReadOnlyList<string>? Fields = null,
    string? Cursor = null,
    int Limit = Cursor.DefaultLimit) : IPagedRequest, IRequest<InteractionsPage>;

public sealed record InteractionsPage(IReadOnlyList<string> Columns, IReadOnlyList<Dictionary<string, object?>> Items, string? NextCursor);

public sealed class ListInteractionsQueryValidator : AbstractValidator<ListInteractionsQuery>
{
    public ListInteractionsQueryValidator()
    {
        this.AddPagingRules();
        RuleFor(q => q.Filter.To).GreaterThanOrEqualTo(q => q.Filter.From).When(q => q.Filter.From is not null && q.Filter.To is not null)
            .OverridePropertyName("to").WithMessage("'to' must not be before 'from'.");
        RuleFor(q => q.Fields).Must(f => f is null || InteractionsTray.Definition.UnknownKeys(f).Count == 0)
            .OverridePropertyName("fields")
            .WithMessage(q => $"Unknown columns: {string.Join(", ", InteractionsTray.Definition.UnknownKeys(q.Fields!))}. See GET /api/v1/interactions/columns.");
    }
}

public sealed class ListInteractionsQueryHandler(IReadStore store, ICurrentUser user, IUserPreferences preferences)
    : IRequestHandler<ListInteractionsQuery, InteractionsPage>
{
    public async Task<InteractionsPage> Handle(ListInteractionsQuery request, CancellationToken cancellationToken)
    {
        var columns = request.Fields is { Count: > 0 }
            ? request.Fields.Distinct().ToList()
            : await preferences.ColumnsAsync(user, InteractionsTray.Definition, cancellationToken);

        var query = InteractionsTray.Definition.Apply(store.Query<Interaction>(), request.Filter);
        if (Cursor.TryDecode(request.Cursor, out var after))
        {
            // The plain bound on SendAt lets PostgreSQL start the index scan at the cursor; the OR only settles ties.
            query = request.Ascending
                ? query.Where(i => i.SendAt >= after.At && (i.SendAt > after.At || i.Id.CompareTo(after.Id) > 0))
                : query.Where(i => i.SendAt <= after.At && (i.SendAt < after.At || i.Id.CompareTo(after.Id) < 0));
        }

        query = request.Ascending
            ? query.OrderBy(i => i.SendAt).ThenBy(i => i.Id)
            : query.OrderByDescending(i => i.SendAt).ThenByDescending(i => i.Id);
        // Each row: the id and send time (the cursor), then the chosen columns as the tray defines them.
        var rows = await store.ToListAsync(query.Take(request.Limit + 1).Select(InteractionsTray.Definition.Select(columns, i => i.Id, i => i.SendAt)), cancellationToken);
        var page = Cursor.ToPage(rows, request.Limit, row => new Cursor((DateTimeOffset)row[1]!, (Guid)row[0]!));

        var items = page.Items.Select(row =>
        {
            var item = new Dictionary<string, object?>(columns.Count + 1) { ["id"] = row[0] };
            for (var c = 0; c < columns.Count; c++)
            {
                item[columns[c]] = row[c + 2];
            }

            return item;
        }).ToList();
        return new InteractionsPage(columns, items, page.NextCursor);
    }
}
