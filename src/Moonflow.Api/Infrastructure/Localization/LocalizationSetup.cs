using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Moonflow.Api.Infrastructure.Localization;

/// <summary>
/// The language of a request: <c>Accept-Language</c> (Spanish or English), else the language of the caller's tenant
/// (<see cref="TenantLanguageCultureProvider"/>), else, for anonymous requests, <c>Localization:DefaultLanguage</c> (Spanish). Only the UI culture follows it, which picks texts (the API's own, and
/// FluentValidation's built-in messages); formatting culture stays invariant so numbers and dates in files and JSON never
/// change with the caller. The answer names its language in <c>Content-Language</c>.
/// </summary>
internal static class LocalizationSetup
{
    public const string DefaultLanguageKey = "Localization:DefaultLanguage";

    public static IServiceCollection AddMoonflowLocalization(this IServiceCollection services, IConfiguration configuration)
    {
        var fallback = configuration[DefaultLanguageKey] is { Length: > 0 } configured && ApiTexts.Languages.Contains(configured) ? configured : "es";
        services.AddSingleton<ApiTexts>();
        return services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(CultureInfo.InvariantCulture, new CultureInfo(fallback));
            options.SupportedCultures = [CultureInfo.InvariantCulture];
            options.SupportedUICultures = ApiTexts.Languages.Select(language => new CultureInfo(language)).ToList();
            options.FallBackToParentUICultures = true; // es-CO, en-US → es, en
            options.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider(), new TenantLanguageCultureProvider()];
        });
    }

    public static IApplicationBuilder UseMoonflowLocalization(this IApplicationBuilder app) => app
        .UseRequestLocalization()
        .Use((context, next) =>
        {
            // Set as the answer starts (the exception handler clears the headers of a response it rewrites).
            var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.ContentLanguage = language;
                return Task.CompletedTask;
            });
            return next(context);
        });
}
