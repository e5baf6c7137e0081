using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity.ApiKeys.CreateApiKey;

/// <summary>An admin issues a key for a partner system; the secret is in this answer only.</summary>
[RequiresPermission(Domain.Identity.Permissions.ApiKeysManage)]
public sealed record CreateApiKeyCommand(string Name, IReadOnlyList<string> Permissions) : IRequest<CreatedApiKeyDto>, ITransactionalCommand;

public sealed record CreatedApiKeyDto(Guid Id, string Name, string Prefix, string Key, IReadOnlyList<string> Permissions, DateTimeOffset CreatedAt);

public sealed class CreateApiKeyCommandValidator : AbstractValidator<CreateApiKeyCommand>
{
    public CreateApiKeyCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
        RuleFor(c => c.Permissions).NotEmpty().WithMessage("Give the key at least one permission.");
        RuleForEach(c => c.Permissions).Must(p => Domain.Identity.Permissions.All.Contains(p)).WithMessage("Unknown permission '{PropertyValue}'.");
    }
}

public sealed class CreateApiKeyCommandHandler(IApiKeyRepository keys, IUserRepository users, ICurrentUser caller, TimeProvider clock)
    : IRequestHandler<CreateApiKeyCommand, CreatedApiKeyDto>
{
    public async Task<CreatedApiKeyDto> Handle(CreateApiKeyCommand request, CancellationToken cancellationToken)
    {
        var creatorId = caller.RequireUserId();
        var creator = await users.GetAsync(creatorId, cancellationToken) ?? throw new NotFoundException("User", creatorId);
        var (prefix, fullKey, hash) = ApiKeySecret.Generate();
        var key = ApiKey.Issue(caller.TenantId, request.Name, prefix, hash, request.Permissions, creator, clock.GetUtcNow());
        keys.Add(key);
        return new CreatedApiKeyDto(key.Id, key.Name, key.Prefix, fullKey, key.Permissions, key.CreatedAt);
    }
}
