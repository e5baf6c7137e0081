using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Agendas.ListAgendas;

/// <summary>Agendas by due date (soonest first), filtered as the agendas tray filters them; agents get only their own.</summary>
[RequiresPermission(Permissions.CrmRead)]
public sealed record ListAgendasQuery(AgendaFilter Filter, string? Cursor = null, int Limit = Cursor.DefaultLimit) : IPagedRequest, IRequest<Page<AgendaDto>>;

public sealed class ListAgendasQueryValidator : AbstractValidator<ListAgendasQuery>
{
    public ListAgendasQueryValidator()
    {
        this.AddPagingRules();
        RuleFor(q => q.Filter.Status).IsInEnum();
        RuleFor(q => q.Filter.DueTo).GreaterThanOrEqualTo(q => q.Filter.DueFrom).When(q => q.Filter.DueFrom is not null && q.Filter.DueTo is not null)
            .OverridePropertyName("dueTo").WithMessage("'dueTo' must not be before 'dueFrom'.");
    }
}

public sealed class ListAgendasQueryHandler(IReadStore store, CrmReferences references, ICurrentUser user) : IRequestHandler<ListAgendasQuery, Page<AgendaDto>>
{
    public async Task<Page<AgendaDto>> Handle(ListAgendasQuery request, CancellationToken cancellationToken)
    {
        await references.UsersAsync([request.Filter.OwnerId], "ownerId", mustBeActive: false, cancellationToken);
        await references.ContactAsync(request.Filter.ContactId, cancellationToken);
        var query = AgendasTray.Definition.Apply(store.Query<Agenda>(), request.Filter);
        if (!user.SeesEveryAgenda())
        {
            var own = user.UserId;
            query = query.Where(a => a.OwnerId == own);
        }

        if (Cursor.TryDecode(request.Cursor, out var after))
        {
            // The plain bound on DueAt lets PostgreSQL start the index scan at the cursor; the OR only settles ties.
            query = query.Where(a => a.DueAt >= after.At && (a.DueAt > after.At || a.Id.CompareTo(after.Id) > 0));
        }

        var rows = await store.ToListAsync(
            query.OrderBy(a => a.DueAt).ThenBy(a => a.Id).Take(request.Limit + 1).Select(AgendaDto.Projection), cancellationToken);
        return Cursor.ToPage(rows, request.Limit, a => new Cursor(a.DueAt, a.Id));
    }
}
