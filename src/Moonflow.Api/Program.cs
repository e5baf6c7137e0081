using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Moonflow.Api.Backups;
using Moonflow.Api.Crm;
using Moonflow.Api.Exports;
using Moonflow.Api.Identity;
using Moonflow.Api.Infrastructure;
using Moonflow.Api.Infrastructure.Http;
using Moonflow.Api.Infrastructure.Localization;
using Moonflow.Api.Interactions;
using Moonflow.Api.Notifications;
using Moonflow.Api.Processes;
using Moonflow.Api.Receivables;
using Moonflow.Api.Webhooks;
using Moonflow.Application;
using Moonflow.Infrastructure;

if (args.Contains("--worker"))
{
    // A worker node: runs jobs against the shared database, serves no HTTP.
    var workerBuilder = Host.CreateApplicationBuilder(args);
    UseMoonflowDbVariable(workerBuilder.Configuration);
    workerBuilder.Configuration["Jobs:RunServer"] = "true";
    workerBuilder.Services.AddApplication(workerBuilder.Configuration["AutoMapper:LicenseKey"]).AddInfrastructure(workerBuilder.Configuration);
    var worker = workerBuilder.Build();
    await worker.Services.InitializeDatabaseAsync(seedDemoData: false);
    await worker.RunAsync();
    return;
}

var builder = WebApplication.CreateBuilder(args);
UseMoonflowDbVariable(builder.Configuration);
builder.Services.AddApplication(builder.Configuration["AutoMapper:LicenseKey"]).AddInfrastructure(builder.Configuration).AddApi(builder.Configuration);

var app = builder.Build();

// Configuration checked at start (a signing key or an external authority) is checked before the database is touched:
// a misconfigured node stops at once with a message saying what to set, and changes nothing.
app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
await app.Services.InitializeDatabaseAsync(seedDemoData: app.Environment.IsDevelopment() && app.Configuration.GetValue("Seed:DemoData", true));

app.UseMoonflowForwardedHeaders(app.Configuration);
app.UseMiddleware<SecurityHeadersMiddleware>();
app.UseMoonflowLocalization(); // outside the exception handler, so problems are written in the request's language
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSwagger(options =>
{
    options.RouteTemplate = "openapi/{documentName}.json";

    // The document names the server it was fetched from (or OpenApi:ServerUrl, the public address behind a proxy),
    // so Swagger UI and generated clients call the same API.
    options.PreSerializeFilters.Add((document, request) => document.Servers =
    [
        new Microsoft.OpenApi.OpenApiServer
        {
            Url = app.Configuration["OpenApi:ServerUrl"] is { Length: > 0 } configured ? configured : $"{request.Scheme}://{request.Host}{request.PathBase}",
            Description = "This Moonflow API",
        },
    ]);
});
app.UseSwaggerUI(options =>
{
    options.RoutePrefix = "swagger";
    options.SwaggerEndpoint("/openapi/v1.json", "Moonflow API v1");
});
app.UseCors();
app.UseMiddleware<UnmatchedRequestMiddleware>();
app.UseAuthentication();
app.UseMiddleware<CallerContextMiddleware>();
app.UseRateLimiter();
app.UseAuthorization();

var api = app.MapGroup("/api/v1");
api.MapIdentityEndpoints();
api.MapUsersEndpoints();
api.MapProcessesEndpoints();
api.MapNotificationsEndpoints();
api.MapClientsEndpoints();
api.MapPaymentOrdersEndpoints();
api.MapDocumentsEndpoints();
api.MapInteractionsEndpoints();
api.MapExportsEndpoints();
api.MapBackupsEndpoints();
api.MapWebhooksEndpoints();
api.MapCrmEndpoints();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new DashboardPermissionFilter()], AppPath = "/swagger" });

await app.RunAsync();

static void UseMoonflowDbVariable(ConfigurationManager configuration)
{
    // MOONFLOW_DB, when set, names the database to use instead of the local cluster.
    if (Environment.GetEnvironmentVariable("MOONFLOW_DB") is { Length: > 0 } connectionString)
    {
        configuration["ConnectionStrings:Moonflow"] = connectionString;
    }
}

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
