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

/// <summary>Filters of the tray; several values of one filter match any of them.</summary>
public sealed record InteractionFilter(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    IReadOnlyList<InteractionDirection>? Directions = null,
    IReadOnlyList<InteractionStatus>? Statuses = null,
    IReadOnlyList<InteractionChannel>? Channels = null,
    Guid? AdvisorId = null,
    string? Campaign = null,
    string? Template = null,
    Guid? ClientId = null)
{
    public IQueryable<Interaction> Apply(IQueryable<Interaction> query)
    {
        if (From?.ToUniversalTime() is { } from)
        {
            query = query.Where(i => i.SendAt >= from);
        }

        if (To?.ToUniversalTime() is { } to)
        {
            query = query.Where(i => i.SendAt <= to);
        }

        if (Directions is { Count: > 0 } directions)
        {
            query = query.Where(i => directions.Contains(i.Direction));
        }

        if (Statuses is { Count: > 0 } statuses)
        {
            query = query.Where(i => statuses.Contains(i.Status));
        }

        if (Channels is { Count: > 0 } channels)
        {
            query = query.Where(i => channels.Contains(i.Channel));
        }

        if (AdvisorId is { } advisor)
        {
            query = query.Where(i => i.AdvisorId == advisor);
        }

        if (!string.IsNullOrWhiteSpace(Campaign))
        {
            query = query.Where(i => i.Campaign == Campaign);
        }

        if (!string.IsNullOrWhiteSpace(Template))
        {
            query = query.Where(i => i.Template == Template);
        }

        if (ClientId is { } client)
        {
            query = query.Where(i => i.ClientId == client);
        }

        return query;
    }
}

public sealed class ListInteractionsQueryValidator : AbstractValidator<ListInteractionsQuery>
{
    public ListInteractionsQueryValidator()
    {
        this.AddPagingRules();
        RuleFor(q => q.Filter.To).GreaterThanOrEqualTo(q => q.Filter.From).When(q => q.Filter.From is not null && q.Filter.To is not null)
            .OverridePropertyName("to").WithMessage("'to' must not be before 'from'.");
        RuleFor(q => q.Fields).Must(f => f is null || new InteractionColumns().UnknownKeys(f).Count == 0)
            .OverridePropertyName("fields")
            .WithMessage(q => $"Unknown columns: {string.Join(", ", new InteractionColumns().UnknownKeys(q.Fields!))}. See GET /api/v1/interactions/columns.");
    }
}

public sealed class ListInteractionsQueryHandler(IReadStore store, ICurrentUser user, IUserPreferences preferences)
    : IRequestHandler<ListInteractionsQuery, InteractionsPage>
{
    public async Task<InteractionsPage> Handle(ListInteractionsQuery request, CancellationToken cancellationToken)
    {
        var columns = request.Fields is { Count: > 0 }
            ? request.Fields.Distinct().ToList()
            : await preferences.ColumnsAsync(user, new InteractionColumns(), cancellationToken);

        var query = request.Filter.Apply(store.Query<Interaction>());
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
        var rows = await store.ToListAsync(query.Take(request.Limit + 1).Select(InteractionDto.Projection), cancellationToken);
        var page = Cursor.ToPage(rows, request.Limit, i => new Cursor(i.SendAt, i.Id));

        var items = page.Items.Select(i =>
        {
            var item = new Dictionary<string, object?>(columns.Count + 1) { ["id"] = i.Id };
            foreach (var column in columns)
            {
                item[column] = i.ValueOf(column);
            }

            return item;
        }).ToList();
        return new InteractionsPage(columns, items, page.NextCursor);
    }
}
