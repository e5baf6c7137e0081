using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Webhooks;

namespace Moonflow.Application.Webhooks.RegisterWebhook;

/// <summary>An admin registers a URL for some events; the signing secret is in this answer only.</summary>
[RequiresPermission(Permissions.WebhooksManage)]
public sealed record RegisterWebhookCommand(string Url, IReadOnlyList<string> Events, string? Description) : IRequest<WebhookSecretDto>, ITransactionalCommand;

public sealed class RegisterWebhookCommandValidator : AbstractValidator<RegisterWebhookCommand>
{
    public RegisterWebhookCommandValidator()
    {
        RuleFor(c => c.Url).NotEmpty().MaximumLength(2000).Must(WebhookUrl.IsAbsoluteHttp).WithMessage(WebhookUrl.Message);
        RuleFor(c => c.Events).NotEmpty().WithMessage("Subscribe to at least one event.");
        RuleFor(c => c.Description).MaximumLength(500);
    }
}

public sealed class RegisterWebhookCommandHandler(IWebhookEndpointRepository endpoints, IWebhookTargetGuard guard, ICurrentUser caller, TimeProvider clock)
    : IRequestHandler<RegisterWebhookCommand, WebhookSecretDto>
{
    public async Task<WebhookSecretDto> Handle(RegisterWebhookCommand request, CancellationToken cancellationToken)
    {
        await WebhookTargetMustBeAllowedRule.CheckAsync(guard, request.Url, cancellationToken);
        var secret = WebhookSecret.Generate();
        var endpoint = WebhookEndpoint.Register(caller.TenantId, request.Url.Trim(), request.Events, request.Description, secret, clock.GetUtcNow());
        endpoints.Add(endpoint);
        return new WebhookSecretDto(endpoint.ToDto(), secret);
    }
}

internal static class WebhookUrl
{
    public const string Message = "'url' must be an absolute http or https URL.";

    public static bool IsAbsoluteHttp(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.UserInfo.Length == 0;
}
