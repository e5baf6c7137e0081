using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Localization;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes.ListProcessItems;

/// <summary>The per-record details of a process, in target order, one page at a time.</summary>
[RequiresPermission(Permissions.ProcessesRead)]
public sealed record ListProcessItemsQuery(
    Guid ProcessId, ProcessItemOutcome? Outcome = null, long? After = null, int Limit = Cursor.DefaultLimit)
    : IRequest<ItemsPage>;

/// <summary>Items are keyed by their sequence number; <see cref="NextAfter"/> is the value to pass as <c>after</c>.</summary>
public sealed record ItemsPage(IReadOnlyList<ProcessItemDto> Items, long? NextAfter);

public sealed class ListProcessItemsQueryValidator : AbstractValidator<ListProcessItemsQuery>
{
    public ListProcessItemsQueryValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxLimit);
        RuleFor(q => q.After).GreaterThanOrEqualTo(0);
    }
}

public sealed class ListProcessItemsQueryHandler(IReadStore store, ICurrentUser user)
    : IRequestHandler<ListProcessItemsQuery, ItemsPage>
{
    public async Task<ItemsPage> Handle(ListProcessItemsQuery request, CancellationToken cancellationToken)
    {
        var visible = store.Query<BulkProcess>().VisibleTo(user).Where(p => p.Id == request.ProcessId);
        var process = await store.FirstOrDefaultAsync(visible.Select(p => new { p.Language }), cancellationToken)
            ?? throw new NotFoundException("Process", request.ProcessId);

        var items = store.Query<ProcessItem>().Where(i => i.ProcessId == request.ProcessId);
        if (request.Outcome is { } outcome)
        {
            items = items.Where(i => i.Outcome == outcome);
        }

        if (request.After is { } after)
        {
            items = items.Where(i => i.Seq > after);
        }

        var rows = await store.ToListAsync(
            items.OrderBy(i => i.Seq).Take(request.Limit + 1).Select(ProcessVisibility.ItemProjection), cancellationToken);
        var hasMore = rows.Count > request.Limit;
        if (hasMore)
        {
            rows.RemoveAt(request.Limit);
        }

        // Messages are said in the process's language, as its error workbook says them.
        var say = Texts.Default.ReasonsIn(process.Language ?? Texts.DefaultLanguage);
        return new ItemsPage(rows.Select(r => r with { Message = say(r.Message) }).ToList(), hasMore ? rows[^1].Seq : null);
    }
}
