using System.Reflection;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Application.Processes.Uploads;

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

        foreach (var executor in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && typeof(IBulkActionExecutor).IsAssignableFrom(t)))
        {
            services.AddScoped(typeof(IBulkActionExecutor), executor);
        }

        AddImports(services, assembly);

        services.AddAutoMapper(
            config =>
            {
                if (!string.IsNullOrWhiteSpace(autoMapperLicenseKey))
                {
                    config.LicenseKey = autoMapperLicenseKey;
                }
            },
            assembly);

        services.AddSingleton(Common.Localization.Texts.Default);
        services.AddScoped<UserContext>();
        services.AddScoped<ICurrentUser>(provider => provider.GetRequiredService<UserContext>());
        services.AddScoped<BulkProcessStarter>();
        services.AddScoped<ProcessFinisher>();
        services.AddScoped<Webhooks.IWebhookPublisher, Webhooks.WebhookPublisher>();
        services.AddOptions<Webhooks.WebhookOptions>();
        services.AddScoped<Processes.RunProcess.LongStepRunner>();
        services.AddScoped<Exports.ExportPlanner>();
        services.AddScoped<Backups.BackupLinks>();
        foreach (var contributor in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(Common.Backups.IBackupContributor).IsAssignableFrom(t)))
        {
            services.AddScoped(typeof(Common.Backups.IBackupContributor), contributor);
        }

        services.AddScoped<Common.Time.TenantCalendar>();
        services.AddScoped<Crm.CrmReferences>();
        services.AddScoped<Crm.Contacts.RecycleSelection>();
        services.AddScoped<Identity.Preferences.IUserPreferences, Identity.Preferences.UserPreferences>();
        services.AddScoped<Receivables.Documents.DocumentInspector>();
        services.AddScoped<Receivables.Documents.ReceivedDocuments>();
        foreach (var tray in TrayDefinitions(assembly))
        {
            services.AddSingleton(tray);
            services.AddSingleton<Common.Trays.IColumnCatalog>(tray);
            services.AddScoped<Common.Trays.ITraySource>(provider => new Common.Trays.TraySource(tray, provider.GetRequiredService<Common.Persistence.IReadStore>()));
        }

        services.AddOptions<ProcessOptions>();
        services.AddOptions<UploadOptions>();
        services.AddOptions<Backups.BackupOptions>();
        return services;
    }

    /// <summary>Every tray a module defines, each by its one instance (<c>Definition</c>).</summary>
    private static IEnumerable<Common.Trays.TrayDefinition> TrayDefinitions(Assembly assembly) =>
        from type in assembly.GetTypes()
        where type is { IsClass: true, IsAbstract: false } && typeof(Common.Trays.TrayDefinition).IsAssignableFrom(type)
        select type.GetProperty("Definition", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as Common.Trays.TrayDefinition
            ?? throw new InvalidOperationException($"The tray {type.Name} has no public static Definition of its own type.");

    /// <summary>
    /// Every import definition gets the upload pipeline's executor for its row type; each row type belongs to one import,
    /// or one executor would run another's processes.
    /// </summary>
    private static void AddImports(IServiceCollection services, Assembly assembly)
    {
        var imports = ClosedImplementations(assembly, typeof(IImportDefinition<>)).ToList();
        foreach (var shared in imports.GroupBy(i => i.Service).Where(g => g.Count() > 1))
        {
            throw new InvalidOperationException(
                $"{string.Join(" and ", shared.Select(i => i.Implementation.Name))} share the row type {shared.Key.GetGenericArguments()[0].Name}; give each import its own.");
        }

        foreach (var (service, implementation) in imports)
        {
            services.AddScoped(implementation);
            services.AddScoped(service, provider => provider.GetRequiredService(implementation));
            services.AddScoped(typeof(IBulkActionExecutor), typeof(UploadImportExecutor<>).MakeGenericType(service.GetGenericArguments()[0]));
        }

        services.AddScoped<UploadImportStarter>();
    }

    private static IEnumerable<(Type Service, Type Implementation)> ClosedImplementations(Assembly assembly, params Type[] openInterfaces) =>
        from type in assembly.GetTypes()
        where type is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
        from contract in type.GetInterfaces()
        where contract.IsGenericType && openInterfaces.Contains(contract.GetGenericTypeDefinition())
        select (contract, type);
}
