using Microsoft.Extensions.DependencyInjection;

namespace Moonflow.Api.Tests.Support;

public static class ServiceCollectionDecoration
{
    /// <summary>Wraps the registered implementation of <typeparamref name="TService"/> (used to inject faults and delays).</summary>
    public static IServiceCollection Decorate<TService>(this IServiceCollection services, Func<TService, IServiceProvider, TService> decorate)
        where TService : class
    {
        var original = services.Last(d => d.ServiceType == typeof(TService));
        var implementation = original.ImplementationType ?? throw new InvalidOperationException($"{typeof(TService).Name} is not registered by type.");
        services.Remove(original);
        services.Add(new ServiceDescriptor(implementation, implementation, original.Lifetime));
        services.Add(new ServiceDescriptor(
            typeof(TService), provider => decorate((TService)provider.GetRequiredService(implementation), provider), original.Lifetime));
        return services;
    }
}
