using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Logging;
using Moonflow.Application.Common.Security;

namespace Moonflow.Application.Common.Behaviours;

public sealed class LoggingBehaviour<TRequest, TResponse>(ILogger<LoggingBehaviour<TRequest, TResponse>> logger, ICurrentUser user)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var name = typeof(TRequest).Name;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next();
            logger.LogInformation(
                "{Request} by {UserId} of tenant {TenantId} done in {ElapsedMs} ms",
                name, user.UserId, user.TenantId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception ex)
        {
            logger.LogInformation(
                "{Request} by {UserId} of tenant {TenantId} ended with {Error} after {ElapsedMs} ms",
                name, user.UserId, user.TenantId, ex.GetType().Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }
}
