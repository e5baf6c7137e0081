using System.Reflection;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Processes.StartProcess;

namespace Moonflow.Application;

public static class DependencyInjection
{
    /// <summary>
    /// Registers every use case. MediatR 5.1.0 has no DI package here, so handlers are found by a small scan;
    /// behaviours wrap handlers in registration order: logging, then validation, then authorization, then transaction.
    /// </summary>
    /// <param name="autoMapperLicenseKey">AutoMapper's licence key, from configuration when the company has one.</param>
    public static IServiceCollection AddApplication(this IServiceCollection services, string? autoMapperLicenseKey = null)
    {
        var assembly = typeof(DependencyInjection).Assembly;
        services.AddScoped<ServiceFactory>(provider => provider.GetService!);
        services.AddScoped<IMediator, Mediator>();

        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(LoggingBehaviour<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(ValidationBehaviour<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(AuthorizationBehaviour<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(TransactionBehaviour<,>));

        // Notification handlers let one module follow another's change in the same transaction (e.g. deferred
        // downloads follow the tenant's nightly window) without the changing module knowing them.
        foreach (var (service, implementation) in ClosedImplementations(assembly, typeof(IRequestHandler<,>), typeof(IValidator<>), typeof(INotificationHandler<>)))
        {
            services.AddTransient(service, implementation);
        }

        foreach (var executor in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBulkActionExecutor).IsAssignableFrom(t)))
        {
            services.AddScoped(typeof(IBulkActionExecutor), executor);
        }

        services.AddAutoMapper(
            config =>
            {
                if (!string.IsNullOrWhiteSpace(autoMapperLicenseKey))
                {
                    config.LicenseKey = autoMapperLicenseKey;
                }
            },
            assembly);

        services.AddScoped<UserContext>();
        services.AddScoped<ICurrentUser>(provider => provider.GetRequiredService<UserContext>());
        services.AddScoped<BulkProcessStarter>();
        services.AddScoped<ProcessFinisher>();
        services.AddScoped<Processes.RunProcess.LongStepRunner>();
        services.AddScoped<Exports.ExportPlanner>();
        services.AddScoped<Common.Time.TenantCalendar>();
        services.AddScoped<Identity.Preferences.IUserPreferences, Identity.Preferences.UserPreferences>();
        foreach (var tray in TrayDefinitions(assembly))
        {
            services.AddSingleton(tray);
            services.AddSingleton<Common.Trays.IColumnCatalog>(tray);
            services.AddScoped<Common.Trays.ITraySource>(provider => new Common.Trays.TraySource(tray, provider.GetRequiredService<Common.Persistence.IReadStore>()));
        }

        services.AddOptions<ProcessOptions>();
        return services;
    }

    /// <summary>Every tray a module defines, each by its one instance (<c>Definition</c>).</summary>
    private static IEnumerable<Common.Trays.TrayDefinition> TrayDefinitions(Assembly assembly) =>
        from type in assembly.GetTypes()
        where type is { IsClass: true, IsAbstract: false } && typeof(Common.Trays.TrayDefinition).IsAssignableFrom(type)
        select type.GetProperty("Definition", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as Common.Trays.TrayDefinition
            ?? throw new InvalidOperationException($"The tray {type.Name} has no public static Definition of its own type.");

    private static IEnumerable<(Type Service, Type Implementation)> ClosedImplementations(Assembly assembly, params Type[] openInterfaces) =>
        from type in assembly.GetTypes()
        where type is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
        from contract in type.GetInterfaces()
        where contract.IsGenericType && openInterfaces.Contains(contract.GetGenericTypeDefinition())
        select (contract, type);
}
