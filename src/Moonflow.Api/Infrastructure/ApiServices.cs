using System.Text.Json;
using System.Text.Json.Serialization;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.IdentityModel.Tokens;
using Microsoft.OpenApi;
using Moonflow.Api.Infrastructure.Http;
using Moonflow.Api.Infrastructure.Localization;
using Moonflow.Api.Infrastructure.OpenApi;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Identity;
using Moonflow.Infrastructure.Health;
using Moonflow.Infrastructure.Identity;

namespace Moonflow.Api.Infrastructure;

internal static class ApiServices
{
    public const string CombinedScheme = "Moonflow";

    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<JsonOptions>(options => ConfigureJson(options.SerializerOptions));
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Problems written by the framework itself (401 challenge, 404 route, 405) get a code too.
            if (!context.ProblemDetails.Extensions.ContainsKey("code"))
            {
                context.ProblemDetails.Extensions["code"] = context.ProblemDetails.Status switch
                {
                    400 => "invalid_request",
                    401 => "unauthenticated",
                    403 => "forbidden",
                    404 => "not_found",
                    405 => "method_not_allowed",
                    413 => "payload_too_large",
                    415 => "unsupported_media_type",
                    _ => "error",
                };
            }

            var texts = context.HttpContext.RequestServices.GetRequiredService<ApiTexts>();
            var problem = context.ProblemDetails;
            var code = problem.Extensions["code"] as string;

            // A mistyped path or method is the first thing a new user meets: say what was asked and where to look.
            var request = context.HttpContext.Request;
            if (problem.Detail is null && context.Exception is null)
            {
                if (problem.Status == 405)
                {
                    problem.Detail = texts.Find("problem.detail.method_not_allowed", request.Method, request.Path, context.HttpContext.Response.Headers.Allow.ToString());
                }
                else if (problem.Status == 404 && context.HttpContext.GetEndpoint() is null)
                {
                    problem.Detail = texts.Find("problem.detail.route_not_found", request.Method, request.Path);
                }
            }

            // Titles and the API's own details in the caller's language; the code never changes.
            problem.Title = texts.Find($"problem.title.{code}") ?? texts.Find($"problem.title.{problem.Status}") ?? problem.Title;
            if (context.Exception is Moonflow.Domain.Common.ILocalizableError error && texts.Detail(error) is { } detail)
            {
                problem.Detail = detail; // the domain's or application's own words, from its code and arguments
            }

            if (code == "validation_failed")
            {
                problem.Detail = texts.Find("problem.detail.validation_failed") ?? problem.Detail;
            }
            else if (code == "malformed_file" && problem.Detail is { } reason)
            {
                problem.Detail = texts.Reason(reason); // the spreadsheet reader's words, found by their English
            }

            // Our validators' and the domain's field messages are written in English; FluentValidation's own are already in the language.
            if (problem is HttpValidationProblemDetails validation)
            {
                foreach (var field in validation.Errors.Keys.ToList())
                {
                    validation.Errors[field] = validation.Errors[field].Select(texts.Validation).ToArray();
                }
            }
            else if (code == "internal_error" && problem.Extensions.TryGetValue("correlationId", out var correlationId))
            {
                problem.Detail = texts.Find("problem.detail.internal_error", correlationId) ?? problem.Detail;
            }
        });
        services.AddMoonflowLocalization(configuration);

        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddOptions<AuthOptions>().ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Moonflow.Application.Backups.BackupOptions>, Moonflow.Infrastructure.Backups.BackupLinkKeyValidator>();
        services.AddOptions<Moonflow.Application.Backups.BackupOptions>().ValidateOnStart();

        // Uploads read their multipart body themselves; any form read elsewhere stays within the same limit.
        var maxUpload = configuration.GetSection(UploadOptions.Section).Get<UploadOptions>()?.MaxBytes ?? new UploadOptions().MaxBytes;
        services.Configure<FormOptions>(options => options.MultipartBodyLengthLimit = maxUpload + MultipartUpload.EnvelopeBytes);
        AddAuthentication(services, configuration);
        services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder(CombinedScheme).RequireAuthenticatedUser().Build());
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<JobStorageHealthCheck>("job-storage", tags: ["ready"]);
        services.AddMoonflowCors(configuration);
        services.AddMoonflowForwardedHeaders(configuration);
        AddOpenApi(services);
        services.AddSharedRateLimits(configuration);
        services.AddHttpContextAccessor();
        services.AddScoped<IClientAddress, HttpClientAddress>();
        return services;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }

    private static void AddAuthentication(IServiceCollection services, IConfiguration configuration)
    {
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        services.AddAuthentication(CombinedScheme)
            .AddPolicyScheme(CombinedScheme, "Bearer token or API key", options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName) ? MoonflowClaims.ApiKeyScheme : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(MoonflowClaims.ApiKeyScheme, null)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                if (!string.IsNullOrWhiteSpace(auth.Authority))
                {
                    // Tokens of an external OIDC authority; they must carry 'tid' (tenant slug) and 'email'.
                    options.Authority = auth.Authority;
                    options.Audience = auth.Audience;
                    return;
                }

                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Issuer,
                    ValidAudience = auth.Audience,
                    IssuerSigningKey = JwtTokenIssuer.SigningKey(auth),
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            });
    }

    /// <summary>Readable, URI-safe schema names: <c>PageOfClientDto</c> rather than a CLR generic name.</summary>
    private static string SchemaId(Type type) =>
        type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}Of{string.Concat(type.GetGenericArguments().Select(SchemaId))}"
            : type.Name;

    private static void AddOpenApi(IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Moonflow API",
                Version = "v1",
                Description = "Back office for accounts receivable and contact-center CRM. Errors are RFC 9457 problem details with a stable 'code' "
                    + "(each response lists its codes in 'x-problem-codes'). Sign in with POST /api/v1/auth/token, or send a partner API key in X-Api-Key. "
                    + "Load balancers probe /health/live and /health/ready (plain text, no credentials), which are not part of this API.",
                Contact = new OpenApiContact { Name = "Moonflow API support", Email = "api@moonflow.dev", Url = new Uri("https://moonflow.dev/support") },
                License = new OpenApiLicense { Name = "Proprietary: for Moonflow customers and partners", Url = new Uri("https://moonflow.dev/terms") },
            });
            options.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A token from POST /api/v1/auth/token.",
            });
            options.AddSecurityDefinition("ApiKey", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "A partner API key from POST /api/v1/api-keys.",
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("Bearer", document)] = [],
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("ApiKey", document)] = [],
            });
            options.CustomSchemaIds(SchemaId);
            options.OperationFilter<IdempotencyKeyOperationFilter>();
            options.SupportNonNullableReferenceTypes();

            // The rules every endpoint is held to (tests/Moonflow.Api.Tests/Platform/OpenApiRulesTests.cs checks the result).
            options.SchemaFilter<RequiredPropertiesSchemaFilter>();
            options.SchemaFilter<ProblemSchemaFilter>();
            options.OperationFilter<AnonymousOperationFilter>();
            options.OperationFilter<MultipartFormOperationFilter>();
            options.ParameterFilter<EnumQueryParameterFilter>();
            options.OperationFilter<ProblemResponsesOperationFilter>();
            options.DocumentFilter<TagDescriptionsDocumentFilter>();
        });
    }
}

/// <summary>The Hangfire dashboard is for callers with <see cref="Permissions.JobsDashboard"/> (admins).</summary>
internal sealed class DashboardPermissionFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) =>
        context.GetHttpContext().RequestServices.GetRequiredService<ICurrentUser>().Has(Permissions.JobsDashboard);
}
