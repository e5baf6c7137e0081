using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Crm.Contacts.RecycleContacts;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Contacts.PreviewRecycleContacts;

/// <summary>How many contacts a recycle or reprocess would take, how many of them are do-not-call, and how many would change.</summary>
[RequiresPermission(Permissions.CrmProcesses)]
public sealed record PreviewRecycleContactsQuery(RecycleMode Mode, RecycleCriteria Criteria) : IRequest<RecyclePreview>;

public sealed class PreviewRecycleContactsQueryValidator : AbstractValidator<PreviewRecycleContactsQuery>
{
    public PreviewRecycleContactsQueryValidator() => RuleFor(c => c.Criteria).SetValidator(new RecycleCriteriaValidator());
}

public sealed class PreviewRecycleContactsQueryHandler(RecycleSelection selection) : IRequestHandler<PreviewRecycleContactsQuery, RecyclePreview>
{
    public Task<RecyclePreview> Handle(PreviewRecycleContactsQuery request, CancellationToken cancellationToken) =>
        selection.PreviewAsync(request.Criteria, request.Mode, cancellationToken);
}
