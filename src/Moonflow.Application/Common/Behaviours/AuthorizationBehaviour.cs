using System.Reflection;
using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;

namespace Moonflow.Application.Common.Behaviours;

/// <summary>Enforces the permissions a request declares with <see cref="RequiresPermissionAttribute"/>.</summary>
public sealed class AuthorizationBehaviour<TRequest, TResponse>(ICurrentUser user) : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly bool IsAnonymous = typeof(TRequest).GetCustomAttribute<AllowAnonymousRequestAttribute>() is not null;

    private static readonly string[] Required = typeof(TRequest)
        .GetCustomAttributes<RequiresPermissionAttribute>()
        .Select(a => a.Permission)
        .ToArray();

    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (IsAnonymous)
        {
            return next();
        }

        if (!user.IsAuthenticated)
        {
            throw new UnauthenticatedException("Sign in first: send a bearer token or an X-Api-Key header.");
        }

        var missing = Required.Where(p => !user.Has(p)).ToList();
        return missing.Count > 0
            ? throw new ForbiddenException($"This action needs the permission {string.Join(", ", missing)}.")
            : next();
    }
}
