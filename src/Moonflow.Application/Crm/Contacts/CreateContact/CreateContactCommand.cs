using System.Text.Json;
using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Contacts.CreateContact;

[RequiresPermission(Permissions.CrmWrite)]
public sealed record CreateContactCommand(
    string Name, string? DocumentType, string? DocumentNumber, IReadOnlyList<string>? Phones, string? Email, JsonElement? Details,
    IReadOnlyList<string>? Tags, bool DoNotCall, Guid? LotId, IReadOnlyList<Guid>? BaseIds)
    : IRequest<ContactDto>, ITransactionalCommand;

public sealed class CreateContactCommandValidator : AbstractValidator<CreateContactCommand>
{
    public CreateContactCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
        RuleFor(c => c.DocumentType).MaximumLength(10).Matches("^[A-Za-z]+$").When(c => !string.IsNullOrEmpty(c.DocumentType))
            .WithMessage("'documentType' is letters only (CC, CE, NIT, PAS, …).");
        RuleFor(c => c.DocumentNumber).MaximumLength(30).Matches("^[0-9A-Za-z-]+$").When(c => !string.IsNullOrEmpty(c.DocumentNumber))
            .WithMessage("'documentNumber' may contain only letters, digits and '-'.");
        RuleFor(c => c).Must(c => c.Phones is { Count: > 0 } || !string.IsNullOrWhiteSpace(c.DocumentNumber)).OverridePropertyName("phones")
            .WithMessage("A contact is keyed by its document or by a phone: give at least one.");
        RuleFor(c => c.Phones).Must(p => p is null || p.Count <= Contact.MaxPhones).WithMessage($"At most {Contact.MaxPhones} phones.");
        RuleForEach(c => c.Phones).NotEmpty().MaximumLength(30);
        RuleFor(c => c.Email).EmailAddress().MaximumLength(254).When(c => !string.IsNullOrEmpty(c.Email));
        RuleFor(c => c.Details).Must(d => d is null || d.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null)
            .WithMessage("'details' is a JSON object of the tenant's detail fields.");
        RuleFor(c => c.Tags).Must(t => t is null || t.Count <= Contact.MaxTags).WithMessage($"At most {Contact.MaxTags} tags.");
        RuleForEach(c => c.Tags).NotEmpty().MaximumLength(Contact.MaxTagLength);
        RuleFor(c => c.BaseIds).Must(b => b is null || b.Count <= 100).WithMessage("At most 100 bases.");
    }
}

public sealed class CreateContactCommandHandler(ICrmRepository crm, CrmReferences references, ICurrentUser user, TimeProvider clock)
    : IRequestHandler<CreateContactCommand, ContactDto>
{
    public async Task<ContactDto> Handle(CreateContactCommand request, CancellationToken cancellationToken)
    {
        await references.LotAsync(request.LotId, cancellationToken);
        await references.BasesAsync(request.BaseIds?.Select(b => (Guid?)b), cancellationToken);
        var details = request.Details is { ValueKind: JsonValueKind.Object } given ? given.GetRawText() : null;
        var contact = Contact.Create(
            user.TenantId, request.Name, request.DocumentType, request.DocumentNumber, request.Phones, request.Email, details, request.Tags,
            request.DoNotCall, request.LotId, clock.GetUtcNow());
        if (contact.DocumentNumber is not null && await crm.DocumentExistsAsync(contact.DocumentType!, contact.DocumentNumber, cancellationToken))
        {
            throw new ConflictException("contact_exists", $"A contact with document {contact.DocumentType} {contact.DocumentNumber} already exists.");
        }

        foreach (var baseId in request.BaseIds ?? [])
        {
            contact.AssociateTo(baseId);
        }

        crm.Add(contact);
        return ContactDto.Projection.Compile()(contact);
    }
}
