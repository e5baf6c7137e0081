using MediatR;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Webhooks.RotateWebhookSecret;

/// <summary>A new signing secret, shown once; the old one keeps signing beside it for <see cref="WebhookOptions.SecretOverlap"/>.</summary>
[RequiresPermission(Permissions.WebhooksManage)]
public sealed record RotateWebhookSecretCommand(Guid Id) : IRequest<WebhookSecretDto>, ITransactionalCommand;

public sealed class RotateWebhookSecretCommandHandler(IWebhookEndpointRepository endpoints, IOptions<WebhookOptions> options, TimeProvider clock)
    : IRequestHandler<RotateWebhookSecretCommand, WebhookSecretDto>
{
    public async Task<WebhookSecretDto> Handle(RotateWebhookSecretCommand request, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.GetAsync(request.Id, cancellationToken) ?? throw new NotFoundException("Webhook", request.Id);
        var secret = WebhookSecret.Generate();
        endpoint.RotateSecret(secret, clock.GetUtcNow(), options.Value.SecretOverlap);
        return new WebhookSecretDto(endpoint.ToDto(), secret);
    }
}
