using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Contacts.LogContactCall;

/// <summary>Logs a call the caller made: the contact's attempts, last contact, last user and resolution follow it.</summary>
[RequiresPermission(Permissions.CrmWrite)]
public sealed record LogContactCallCommand(Guid ContactId, Guid? SubcategoryId, int DurationSeconds, string? Note, DateTimeOffset? At)
    : IRequest<CallDto>, ITransactionalCommand;

public sealed class LogContactCallCommandValidator : AbstractValidator<LogContactCallCommand>
{
    public LogContactCallCommandValidator()
    {
        RuleFor(c => c.DurationSeconds).InclusiveBetween(0, 86_400);
        RuleFor(c => c.Note).MaximumLength(2000);
    }
}

public sealed class LogContactCallCommandHandler(ICrmRepository crm, CrmReferences references, ICurrentUser user, TimeProvider clock)
    : IRequestHandler<LogContactCallCommand, CallDto>
{
    public async Task<CallDto> Handle(LogContactCallCommand request, CancellationToken cancellationToken)
    {
        var caller = user.UserId ?? throw new ForbiddenException("Calls are logged by the user who made them; an API key cannot log one.");
        var contact = await crm.GetContactAsync(request.ContactId, cancellationToken) ?? throw new NotFoundException("Contact", request.ContactId);
        await references.SubcategoriesAsync([request.SubcategoryId], cancellationToken);
        var now = clock.GetUtcNow();
        if (request.At > now.AddMinutes(5))
        {
            throw new Domain.Common.DomainValidationException("at", "A call cannot be logged in the future.");
        }

        var call = contact.LogCall(caller, request.SubcategoryId, request.DurationSeconds, request.Note, request.At ?? now);
        crm.Add(call);
        return CallDto.Projection.Compile()(call);
    }
}
