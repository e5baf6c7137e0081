using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity.ApiKeys.RevokeApiKey;

/// <summary>Revoking is immediate and final: the next request with that key is refused.</summary>
[RequiresPermission(Permissions.ApiKeysManage)]
public sealed record RevokeApiKeyCommand(Guid ApiKeyId) : IRequest<Unit>, ITransactionalCommand;

public sealed class RevokeApiKeyCommandHandler(IApiKeyRepository keys, TimeProvider clock) : IRequestHandler<RevokeApiKeyCommand, Unit>
{
    public async Task<Unit> Handle(RevokeApiKeyCommand request, CancellationToken cancellationToken)
    {
        var key = await keys.GetAsync(request.ApiKeyId, cancellationToken) ?? throw new NotFoundException("API key", request.ApiKeyId);
        key.Revoke(clock.GetUtcNow());
        return Unit.Value;
    }
}
