using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Contacts.GetContact;

[RequiresPermission(Permissions.CrmRead)]
public sealed record GetContactQuery(Guid ContactId) : IRequest<ContactDto>;

public sealed class GetContactQueryHandler(IReadStore store) : IRequestHandler<GetContactQuery, ContactDto>
{
    public async Task<ContactDto> Handle(GetContactQuery request, CancellationToken cancellationToken) =>
        await store.FirstOrDefaultAsync(store.Query<Contact>().Where(c => c.Id == request.ContactId).Select(ContactDto.Projection), cancellationToken)
        ?? throw new NotFoundException("Contact", request.ContactId);
}
