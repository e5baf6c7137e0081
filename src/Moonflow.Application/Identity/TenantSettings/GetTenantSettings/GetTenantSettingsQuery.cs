using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity.TenantSettings.GetTenantSettings;

/// <summary>The caller's tenant's settings: time zone and nightly window.</summary>
[RequiresPermission(Permissions.TenantSettings)]
public sealed record GetTenantSettingsQuery : IRequest<TenantSettingsDto>;

public sealed class GetTenantSettingsQueryHandler(IUserRepository tenants, ICurrentUser caller, TimeProvider clock)
    : IRequestHandler<GetTenantSettingsQuery, TenantSettingsDto>
{
    public async Task<TenantSettingsDto> Handle(GetTenantSettingsQuery request, CancellationToken cancellationToken)
    {
        var tenant = await tenants.GetTenantAsync(caller.TenantId, cancellationToken) ?? throw new NotFoundException("Tenant", caller.TenantId);
        return TenantSettingsDto.Of(tenant, clock.GetUtcNow());
    }
}
