using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity.TenantSettings.UpdateTenantSettings;

/// <summary>
/// An admin sets the tenant's time zone and nightly window. Deferred downloads still waiting for the window follow
/// the new one in the same transaction (see <see cref="TenantScheduleChanged"/>).
/// </summary>
[RequiresPermission(Permissions.TenantSettings)]
/// <param name="Language">The language of emails to the tenant's users (<c>es</c> or <c>en</c>); null leaves it as it is.</param>
public sealed record UpdateTenantSettingsCommand(string TimeZone, string NightlyWindow, string? Language = null) : IRequest<TenantSettingsDto>, ITransactionalCommand;

public sealed class UpdateTenantSettingsCommandValidator : AbstractValidator<UpdateTenantSettingsCommand>
{
    public UpdateTenantSettingsCommandValidator()
    {
        RuleFor(c => c.TimeZone).NotEmpty().MaximumLength(64).WithMessage("Give the tenant's IANA time zone id, e.g. 'America/Bogota'.");
        RuleFor(c => c.NightlyWindow)
            .NotEmpty()
            .WithMessage(NightlyWindowText.Expected)
            .Must(text => NightlyWindowText.TryParse(text, out _))
            .WithMessage(NightlyWindowText.Expected);
        RuleFor(c => c.Language).Must(l => l is null || l.Trim().ToLowerInvariant() is "es" or "en")
            .WithMessage("'language' is 'es' (Spanish) or 'en' (English).");
    }
}

public sealed class UpdateTenantSettingsCommandHandler(ITenantRepository tenants, IMediator mediator, ICurrentUser caller, TimeProvider clock)
    : IRequestHandler<UpdateTenantSettingsCommand, TenantSettingsDto>
{
    public async Task<TenantSettingsDto> Handle(UpdateTenantSettingsCommand request, CancellationToken cancellationToken)
    {
        var tenant = await tenants.GetAsync(caller.TenantId, cancellationToken) ?? throw new NotFoundException("Tenant", caller.TenantId);
        if (request.Language is not null)
        {
            tenant.ChangeLanguage(request.Language);
        }

        if (tenant.ChangeSchedule(request.TimeZone, NightlyWindowText.Parse(request.NightlyWindow)))
        {
            await mediator.Publish(new TenantScheduleChanged(tenant), cancellationToken);
        }

        return TenantSettingsDto.Of(tenant, clock.GetUtcNow());
    }
}
