using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;

namespace Moonflow.Application.Identity.GetMe;

/// <summary>Who the caller is, in which tenant, and what they may do: what a front end needs to draw its menus.</summary>
[AnySignedInCaller]
public sealed record GetMeQuery : IRequest<MeDto>;

public sealed record MeDto(
    Guid? UserId, string Name, string? Email, TenantDto Tenant, IReadOnlyList<string> Roles, IReadOnlyList<string> Permissions);

public sealed record TenantDto(Guid Id, string Slug, string Name, string TimeZone);

public sealed class GetMeQueryHandler(IUserRepository users, ICurrentUser caller) : IRequestHandler<GetMeQuery, MeDto>
{
    public async Task<MeDto> Handle(GetMeQuery request, CancellationToken cancellationToken)
    {
        var tenant = await users.GetTenantAsync(caller.TenantId, cancellationToken) ?? throw new NotFoundException("Tenant", caller.TenantId);
        var tenantDto = new TenantDto(tenant.Id, tenant.Slug, tenant.Name, tenant.TimeZoneId);
        var permissions = caller.Permissions.Order(StringComparer.Ordinal).ToList();
        if (caller.UserId is not { } userId)
        {
            return new MeDto(null, caller.ActorName, null, tenantDto, [], permissions);
        }

        var user = await users.GetAsync(userId, cancellationToken) ?? throw new NotFoundException("User", userId);
        return new MeDto(user.Id, user.DisplayName, user.Email, tenantDto, [user.Role.ToString()], user.Permissions.Order(StringComparer.Ordinal).ToList());
    }
}
