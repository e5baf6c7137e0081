using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Identity;
using Moonflow.Application.Notifications;
using Moonflow.Application.Processes;
using Moonflow.Application.Processes.Execution;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Application.Receivables.Clients;
using Moonflow.Infrastructure.Files;
using Moonflow.Infrastructure.Identity;
using Moonflow.Infrastructure.Jobs;
using Moonflow.Infrastructure.Persistence;
using Moonflow.Infrastructure.Processes;
using Moonflow.Infrastructure.Processes.Uploads;
using Moonflow.Infrastructure.Receivables;
using Npgsql;

namespace Moonflow.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Moonflow")
            ?? throw new InvalidOperationException("ConnectionStrings:Moonflow is not set (build/run.sh sets it, or set MOONFLOW_DB).");

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.AddDbContext<MoonflowDbContext>((provider, options) => options
            .UseNpgsql(provider.GetRequiredService<NpgsqlDataSource>(), npgsql => npgsql.MigrationsHistoryTable("__ef_migrations", "public")));

        services.AddScoped<IUnitOfWork, UnitOfWork>();
        services.AddScoped<IReadStore, ReadStore>();
        services.AddScoped<IBulkProcessRepository, BulkProcessRepository>();
        services.AddScoped<INotificationRepository, NotificationRepository>();
        services.AddScoped<IUserRepository, UserRepository>();
        services.AddScoped<ITenantRepository, TenantRepository>();
        services.AddScoped<IApiKeyRepository, ApiKeyRepository>();
        services.AddScoped<IClientRepository, ClientRepository>();
        services.AddScoped<Application.Exports.IExportRequestRepository, Exports.ExportRequestRepository>();
        services.AddScoped<Application.Receivables.PaymentOrders.IPaymentOrderRepository, PaymentOrderRepository>();
        services.AddScoped<Application.Identity.Preferences.IUserPreferenceRepository, UserPreferenceRepository>();
        services.AddScoped<IProcessTargetStore, ProcessTargetStore>();
        services.AddScoped<IClientBulkActions, ClientBulkActions>();
        services.AddScoped<Application.Crm.ICrmRepository, Crm.CrmRepository>();
        services.AddScoped<Application.Crm.ICrmBulkActions, Crm.CrmBulkActions>();
        services.AddSingleton<Application.Crm.Scripts.IScriptUsageSearch, Crm.ScriptUsageSearch>();
        services.AddScoped<IUploadRowStore, UploadRowStore>();
        services.AddSingleton<IImportTemplateWriter, ImportTemplateWriter>();
        services.AddScoped<IImportRegistrar<Domain.Interactions.Interaction>, Interactions.InteractionImportRegistrar>();
        services.AddScoped<IImportRegistrar<Application.Crm.Screens.ImportScreens.ScreenScriptRow>, Crm.ScreenImportRegistrar>();
        services.AddScoped<IImportRegistrar<Application.Crm.Conversations.MassCloseConversations.ConversationToClose>, Crm.ConversationMassCloseRegistrar>();
        services.AddScoped<Crm.Imports.ContactImportRegistrar>();
        services.AddScoped<IImportRegistrar<Domain.Crm.Contact>, Crm.Imports.ContactLoadRegistrar>();
        services.AddScoped<IImportRegistrar<Application.Crm.Imports.UpdateContacts.ContactUpdateRow>, Crm.Imports.ContactUpdateRegistrar>();
        services.AddScoped<IImportRegistrar<Application.Crm.Imports.ImportEntityRecords.EntityRecordRow>, Crm.Imports.EntityRecordImportRegistrar>();
        services.AddScoped<IImportRegistrar<Application.Crm.Imports.ImportContactDetails.ContactDetailRow>, Crm.Imports.ContactDetailImportRegistrar>();
        services.AddSingleton<IClientDirectory, ClientDirectory>();
        services.AddScoped<Application.Receivables.Documents.IReceivablesDocumentRepository, ReceivablesDocumentRepository>();
        services.AddSingleton<Application.Receivables.Documents.IReceivablesDocuments, ReceivablesDocuments>();
        services.AddSingleton<Application.Identity.Users.IUserDirectory, UserDirectory>();
        services.AddScoped<IProcessErrorReportWriter, ProcessErrorReportWriter>();
        services.AddScoped<Application.Common.Trays.ITrayFileWriter, Exports.TrayFileWriter>();
        services.AddScoped<IProcessDispatcher, HangfireProcessDispatcher>();
        services.AddSingleton(new RunnerLeaseConnections(connectionString));
        services.AddSingleton<IProcessRunnerLeases, ProcessRunnerLeases>();
        services.AddScoped<DemoDataSeeder>();
        services.AddScoped<DemoDocumentsSeeder>();
        services.AddScoped<CrmDemoSeeder>();
        services.AddScoped<FileStoreIdentity>();
        services.AddSingleton<Idempotency.IdempotencyStore>();
        AddBackups(services, configuration);
        services.AddSingleton<RateLimiting.RateLimitCounters>();
        services.AddSingleton<RateLimiting.RateLimitCountersJob>();

        services.AddSingleton<IPasswordHasher, IdentityPasswordHasher>();
        services.AddSingleton<ITokenIssuer, JwtTokenIssuer>();
        services.AddScoped<CallerResolver>();
        services.AddSingleton<TenantLanguages>();
        services.AddScoped<ApiKeyAuthenticator>();
        services.AddSingleton<ISignInThrottle, SignInThrottleStore>();
        services.AddSingleton<SignInThrottleJob>();
        services.AddOptions<SignInThrottleOptions>().Bind(configuration.GetSection(SignInThrottleOptions.Section));
        services.TryAddScoped<Application.Common.Security.IClientAddress, Application.Common.Security.NoClientAddress>();

        services.AddSingleton<IFileStorage, LocalFileStorage>();
        services.AddOptions<Application.Common.Spreadsheets.SpreadsheetLimits>()
            .Bind(configuration.GetSection(Application.Common.Spreadsheets.SpreadsheetLimits.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<Application.Common.Spreadsheets.SpreadsheetLimits>, Spreadsheets.SpreadsheetLimitsValidation>();
        services.AddSingleton<Application.Common.Spreadsheets.ISpreadsheetReader>(provider =>
            new Spreadsheets.SpreadsheetReader(provider.GetRequiredService<IOptions<Application.Common.Spreadsheets.SpreadsheetLimits>>().Value));
        services.AddSingleton<Application.Common.Spreadsheets.ISpreadsheetWriter>(new Spreadsheets.SpreadsheetWriter());
        services.AddOptions<FileStorageOptions>().Bind(configuration.GetSection(FileStorageOptions.Section));
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section));
        services.AddOptions<ProcessOptions>().Bind(configuration.GetSection(ProcessOptions.Section));
        services.AddOptions<UploadOptions>().Bind(configuration.GetSection(UploadOptions.Section));
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.Section));
        services.AddOptions<Application.Exports.ExportOptions>().Bind(configuration.GetSection(Application.Exports.ExportOptions.Section));

        AddWebhooks(services, configuration);
        AddJobs(services, configuration, connectionString);
        return services;
    }

    private static void AddBackups(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<Application.Backups.IBackupRequestRepository, Backups.BackupRequestRepository>();
        services.AddScoped<Application.Backups.IBackupArchiveWriter, Backups.ZipBackupArchiveWriter>();
        services.AddScoped<Application.Common.Backups.IBackupContributor, ProcessesBackupContributor>();
        services.AddScoped<Application.Common.Backups.IBackupContributor, Crm.CrmBackupContributor>();
        services.AddSingleton<Application.Backups.IBackupLinkSigner, Backups.BackupLinkSigner>();
        services.AddScoped<Application.Backups.IBackupEmailScheduler, Backups.HangfireBackupEmailScheduler>();
        services.AddSingleton<Application.Common.Email.IEmailSender, Email.MailKitEmailSender>();
        services.AddSingleton<Backups.BackupJob>();
        services.AddOptions<Email.EmailOptions>().Bind(configuration.GetSection(Email.EmailOptions.Section));
        services.AddOptions<Application.Backups.BackupOptions>().Bind(configuration.GetSection(Application.Backups.BackupOptions.Section));
    }

    private static void AddWebhooks(IServiceCollection services, IConfiguration configuration)
    {
        // Development defaults first, so that configuration still has the last word.
        services.AddSingleton<IConfigureOptions<Application.Webhooks.WebhookOptions>, Webhooks.WebhookOptionsDefaults>();
        services.AddOptions<Application.Webhooks.WebhookOptions>().Bind(configuration.GetSection(Application.Webhooks.WebhookOptions.Section));
        services.AddScoped<Application.Webhooks.IWebhookEndpointRepository, Webhooks.WebhookEndpointRepository>();
        services.AddScoped<Application.Webhooks.IWebhookDeliveryRepository, Webhooks.WebhookDeliveryRepository>();
        services.AddSingleton<Application.Webhooks.IWebhookTargetGuard, Webhooks.WebhookTargetGuard>();
        services.AddSingleton<Application.Webhooks.IWebhookSender, Webhooks.WebhookSender>();
        services.AddScoped<Application.Webhooks.IWebhookDispatcher, Webhooks.HangfireWebhookDispatcher>();
        services.AddSingleton<Webhooks.WebhookJob>();
    }

    private static void AddJobs(IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        var jobs = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        services.AddHangfire((provider, config) => config
            .UseLogProvider(new HangfireLogProvider(provider.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                options => options.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions
                {
                    SchemaName = "hangfire",
                    QueuePollInterval = jobs.PollInterval,

                    // Enqueued jobs wake an idle server at once (LISTEN/NOTIFY): an online download or upload starts
                    // when it is accepted, not at the next poll. Polling stays as the fallback.
                    EnableLongPolling = true,
                    PrepareSchemaIfNecessary = true,

                    // A running job's fetch is renewed every fifth of the timeout while its worker lives (hangfire-postgres/
                    // Hangfire.PostgreSql #130, #381: without it a job running past the timeout is fetched a second time).
                    UseSlidingInvisibilityTimeout = true,
                    InvisibilityTimeout = jobs.InvisibilityTimeout,
                }));
        services.AddSingleton<ProcessJob>();
        if (jobs.RunServer)
        {
            services.AddHangfireServer(options =>
            {
                options.Queues = ["processes", "default"];
                options.WorkerCount = jobs.WorkerCount;
                options.SchedulePollingInterval = jobs.PollInterval;
            });

            // Webhook attempts wait on partners' servers (up to their timeout each): workers of their own, so a partner
            // that hangs delays other partners' webhooks at most, never the processes.
            var webhooks = configuration.GetSection(Application.Webhooks.WebhookOptions.Section).Get<Application.Webhooks.WebhookOptions>() ?? new();
            services.AddHangfireServer(options =>
            {
                options.ServerName = $"{Environment.MachineName}:webhooks:{Guid.NewGuid():N}";
                options.Queues = [Webhooks.WebhookJob.Queue];
                options.WorkerCount = webhooks.WorkerCount;
                options.SchedulePollingInterval = jobs.PollInterval;
            });
        }

        services.AddHostedService<RecurringJobsRegistration>();
    }
}

/// <summary>Registers the recurring jobs at start-up; idempotent, so every node may do it.</summary>
internal sealed class RecurringJobsRegistration(IRecurringJobManager recurringJobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurringJobs.AddOrUpdate<ProcessJob>("processes-dispatch-stranded", job => job.DispatchStrandedAsync(CancellationToken.None), Cron.Minutely());
        recurringJobs.AddOrUpdate<ProcessJob>("exports-nightly-window", job => job.DispatchScheduledAsync(CancellationToken.None), "*/5 * * * *");
        recurringJobs.AddOrUpdate<ProcessJob>("processes-purge", job => job.PurgeProcessLogAsync(CancellationToken.None), Cron.Daily(3));
        recurringJobs.AddOrUpdate<Backups.BackupJob>("backups-email-outbox", job => job.DispatchDueEmailsAsync(CancellationToken.None), Cron.Minutely());
        recurringJobs.AddOrUpdate<Backups.BackupJob>("backups-expire", job => job.ExpireAsync(CancellationToken.None), Cron.Hourly());
        recurringJobs.AddOrUpdate<Webhooks.WebhookJob>("webhooks-sweep", job => job.SweepAsync(CancellationToken.None), Cron.Minutely());
        recurringJobs.AddOrUpdate<RateLimiting.RateLimitCountersJob>("ratelimits-purge", job => job.PurgeAsync(CancellationToken.None), "*/10 * * * *");
        recurringJobs.AddOrUpdate<SignInThrottleJob>("signin-throttles-purge", job => job.PurgeAsync(CancellationToken.None), "*/10 * * * *");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class DatabaseInitialization
{
    /// <summary>
    /// Applies committed migrations (EF takes a lock, so concurrent nodes are safe), checks that this node shares the
    /// database's file store (else <see cref="FileStoreMismatchException"/>) and, if asked, seeds demo data.
    /// </summary>
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, bool seedDemoData, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MoonflowDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<FileStoreIdentity>().VerifyAsync(cancellationToken);
        if (seedDemoData)
        {
            await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync(cancellationToken);
            await scope.ServiceProvider.GetRequiredService<CrmDemoSeeder>().SeedAsync(cancellationToken);
        }
    }
}
