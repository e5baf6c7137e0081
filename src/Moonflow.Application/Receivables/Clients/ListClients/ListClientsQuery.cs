using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Clients.ListClients;

/// <summary>Clients, newest first, filtered, one keyset page at a time.</summary>
[RequiresPermission(Permissions.ClientsRead)]
public sealed record ListClientsQuery(ClientFilter Filter, string? Cursor = null, int Limit = Cursor.DefaultLimit) : IPagedRequest, IRequest<Page<ClientDto>>;

public sealed class ListClientsQueryValidator : AbstractValidator<ListClientsQuery>
{
    public ListClientsQueryValidator()
    {
        this.AddPagingRules();
        RuleFor(q => q.Filter.Search).MaximumLength(200);
        RuleFor(q => q.Filter.DocumentType).IsInEnum();
    }
}

public sealed class ListClientsQueryHandler(IReadStore store) : IRequestHandler<ListClientsQuery, Page<ClientDto>>
{
    public async Task<Page<ClientDto>> Handle(ListClientsQuery request, CancellationToken cancellationToken)
    {
        var query = ClientsTray.Definition.Apply(store.Query<Client>(), request.Filter);
        if (Cursor.TryDecode(request.Cursor, out var after))
        {
            query = query.Where(c => c.Id.CompareTo(after.Id) < 0);
        }

        var rows = await store.ToListAsync(
            query.OrderByDescending(c => c.Id).Take(request.Limit + 1).Select(ClientDto.Projection), cancellationToken);
        return Cursor.ToPage(rows, request.Limit, c => new Cursor(c.CreatedAt, c.Id));
    }
}
