using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Webhooks.RegisterWebhook;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Webhooks.UpdateWebhook;

/// <summary>Changes what is given (url, events, enabled); what is left out stays.</summary>
[RequiresPermission(Permissions.WebhooksManage)]
public sealed record UpdateWebhookCommand(Guid Id, string? Url, IReadOnlyList<string>? Events, bool? Enabled) : IRequest<WebhookDto>, ITransactionalCommand;

public sealed class UpdateWebhookCommandValidator : AbstractValidator<UpdateWebhookCommand>
{
    public UpdateWebhookCommandValidator()
    {
        RuleFor(c => c.Url).MaximumLength(2000).Must(WebhookUrl.IsAbsoluteHttp).When(c => c.Url is not null).WithMessage(WebhookUrl.Message);
        RuleFor(c => c.Events).NotEmpty().When(c => c.Events is not null).WithMessage("Subscribe to at least one event.");
    }
}

public sealed class UpdateWebhookCommandHandler(IWebhookEndpointRepository endpoints, IWebhookTargetGuard guard, TimeProvider clock)
    : IRequestHandler<UpdateWebhookCommand, WebhookDto>
{
    public async Task<WebhookDto> Handle(UpdateWebhookCommand request, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.GetAsync(request.Id, cancellationToken) ?? throw new NotFoundException("Webhook", request.Id);
        if (request.Url is not null)
        {
            await WebhookTargetMustBeAllowedRule.CheckAsync(guard, request.Url, cancellationToken);
        }

        endpoint.Change(request.Url?.Trim(), request.Events, request.Enabled, clock.GetUtcNow());
        return endpoint.ToDto();
    }
}
