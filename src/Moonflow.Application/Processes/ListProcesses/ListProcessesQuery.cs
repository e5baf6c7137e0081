using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Localization;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;

namespace Moonflow.Application.Processes.ListProcesses;

/// <summary>The process log, newest first, one keyset page at a time.</summary>
[RequiresPermission(Permissions.ProcessesRead)]
public sealed record ListProcessesQuery(
    ProcessType? Type = null,
    ProcessStatus? Status = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    Guid? RequestedBy = null,
    string? Cursor = null,
    int Limit = Cursor.DefaultLimit) : IPagedRequest, IRequest<Page<ProcessDto>>;

public sealed class ListProcessesQueryValidator : AbstractValidator<ListProcessesQuery>
{
    public ListProcessesQueryValidator()
    {
        this.AddPagingRules();
        RuleFor(q => q.To).GreaterThanOrEqualTo(q => q.From).When(q => q.From is not null && q.To is not null)
            .WithMessage("'to' must not be before 'from'.");
    }
}

public sealed class ListProcessesQueryHandler(IReadStore store, ICurrentUser user, TimeProvider clock, Texts? texts = null)
    : IRequestHandler<ListProcessesQuery, Page<ProcessDto>>
{
    public async Task<Page<ProcessDto>> Handle(ListProcessesQuery request, CancellationToken cancellationToken)
    {
        var query = store.Query<BulkProcess>().VisibleTo(user);
        if (request.Type is { } type)
        {
            query = query.Where(p => p.Type == type);
        }

        if (request.Status is { } status)
        {
            query = query.Where(p => p.Status == status);
        }

        if (request.From?.ToUniversalTime() is { } from)
        {
            query = query.Where(p => p.QueuedAt >= from);
        }

        if (request.To?.ToUniversalTime() is { } to)
        {
            query = query.Where(p => p.QueuedAt <= to);
        }

        if (request.RequestedBy is { } requestedBy)
        {
            query = query.Where(p => p.RequestedBy == requestedBy);
        }

        if (Cursor.TryDecode(request.Cursor, out var after))
        {
            // Ids are time-ordered (UUIDv7) and unique, so they are the keyset.
            query = query.Where(p => p.Id.CompareTo(after.Id) < 0);
        }

        var rows = await store.ToListAsync(query.OrderByDescending(p => p.Id).Take(request.Limit + 1), cancellationToken);
        var now = clock.GetUtcNow();
        var page = Cursor.ToPage(rows, request.Limit, p => new Cursor(p.QueuedAt, p.Id));
        return new Page<ProcessDto>(page.Items.Select(p => p.ToDto(now, texts ?? Texts.Default)).ToList(), page.NextCursor);
    }
}
