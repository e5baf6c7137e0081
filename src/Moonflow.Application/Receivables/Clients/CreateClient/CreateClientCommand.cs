using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Clients.CreateClient;

[RequiresPermission(Permissions.ClientsWrite)]
public sealed record CreateClientCommand(
    DocumentType DocumentType, string DocumentNumber, string Name, string? Email, string? Phone, IReadOnlyList<string>? Tags)
    : IRequest<ClientDto>, ITransactionalCommand;

public sealed class CreateClientCommandValidator : AbstractValidator<CreateClientCommand>
{
    public CreateClientCommandValidator()
    {
        RuleFor(c => c.DocumentType).IsInEnum();
        RuleFor(c => c.DocumentNumber).NotEmpty().MaximumLength(30).Matches("^[0-9A-Za-z-]+$")
            .WithMessage("'documentNumber' may contain only letters, digits and '-'.");
        RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
        RuleFor(c => c.Email).EmailAddress().MaximumLength(254).When(c => !string.IsNullOrEmpty(c.Email));
        RuleFor(c => c.Phone).MaximumLength(30);
        RuleFor(c => c.Tags).Must(t => t is null || t.Count <= Client.MaxTags).WithMessage($"At most {Client.MaxTags} tags.");
        RuleForEach(c => c.Tags).NotEmpty().MaximumLength(Client.MaxTagLength);
    }
}

public sealed class CreateClientCommandHandler(IClientRepository clients, ICurrentUser user, TimeProvider clock)
    : IRequestHandler<CreateClientCommand, ClientDto>
{
    public async Task<ClientDto> Handle(CreateClientCommand request, CancellationToken cancellationToken)
    {
        if (await clients.DocumentExistsAsync(request.DocumentType, request.DocumentNumber.Trim(), cancellationToken))
        {
            throw new ConflictException("client_exists", $"A client with document {request.DocumentType} {request.DocumentNumber} already exists.");
        }

        var client = Client.Create(
            user.TenantId, request.DocumentType, request.DocumentNumber, request.Name, request.Email, request.Phone, request.Tags, clock.GetUtcNow());
        clients.Add(client);
        return ClientDto.Projection.Compile()(client);
    }
}
