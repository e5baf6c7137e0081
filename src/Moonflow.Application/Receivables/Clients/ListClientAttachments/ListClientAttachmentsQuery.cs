using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Receivables.Documents;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Clients.ListClientAttachments;

/// <summary>A client's documents, newest first, one keyset page at a time.</summary>
[RequiresPermission(Permissions.ClientsRead)]
public sealed record ListClientAttachmentsQuery(Guid ClientId, string? Cursor = null, int Limit = Common.Paging.Cursor.DefaultLimit)
    : IPagedRequest, IRequest<Page<ClientAttachmentDto>>;

public sealed class ListClientAttachmentsQueryValidator : AbstractValidator<ListClientAttachmentsQuery>
{
    public ListClientAttachmentsQueryValidator() => this.AddPagingRules();
}

public sealed class ListClientAttachmentsQueryHandler(IReadStore store) : IRequestHandler<ListClientAttachmentsQuery, Page<ClientAttachmentDto>>
{
    public async Task<Page<ClientAttachmentDto>> Handle(ListClientAttachmentsQuery request, CancellationToken cancellationToken)
    {
        if (await store.FirstOrDefaultAsync(store.Query<Client>().Where(c => c.Id == request.ClientId).Select(c => (Guid?)c.Id), cancellationToken) is null)
        {
            throw new NotFoundException("Client", request.ClientId);
        }

        var query = store.Query<ClientAttachment>().Where(a => a.ClientId == request.ClientId);
        if (Cursor.TryDecode(request.Cursor, out var after))
        {
            query = query.Where(a => a.Id.CompareTo(after.Id) < 0);
        }

        var rows = await store.ToListAsync(query.OrderByDescending(a => a.Id).Take(request.Limit + 1).Select(ClientAttachmentDto.Projection), cancellationToken);
        return Cursor.ToPage(rows, request.Limit, a => new Cursor(a.CreatedAt, a.Id));
    }
}
