using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Moonflow.Api.Infrastructure.Localization;
using Moonflow.Api.Tests.Exports;
using Moonflow.Api.Tests.Support;
using Moonflow.Domain.Common;

namespace Moonflow.Api.Tests.Platform;

/// <summary>
/// The details of domain and application errors are rendered from the error's code and arguments through the resource
/// files (<c>error.{code}</c>), in the caller's language; the code and the fields never change.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ErrorTextsTests(MoonflowApiFactory api)
{
    /// <summary>Problems the API writes itself: their details are its own texts (<c>problem.detail.*</c>) or the framework's.</summary>
    private static readonly HashSet<string> ApiOwnCodes =
        ["validation_failed", "invalid_request", "payload_too_large", "method_not_allowed", "idempotency_key_reused", "idempotency_request_in_progress",

        // The spreadsheet readers' own words (which line, which column, what was found) stay English for now.
        "malformed_file"];

    [Fact]
    public async Task EveryCodeTheDomainOrApplicationCanRaise_HasATextInBothLanguages()
    {
        // Every business rule of the Domain and Application (their codes are constants of the type), and every code an
        // endpoint documents (the application's exceptions: client_exists, file_expired, …).
        var ruleCodes = new[] { typeof(IBusinessRule).Assembly, typeof(Moonflow.Application.DependencyInjection).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => type is { IsClass: true, IsAbstract: false } && typeof(IBusinessRule).IsAssignableFrom(type))
            .SelectMany(RuleCodes)
            .ToList();
        using var document = JsonDocument.Parse(await OpenApiDocuments.FetchAsync(api));
        var documented = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject())
            .Where(operation => operation.Value.ValueKind == JsonValueKind.Object && operation.Value.TryGetProperty("responses", out _))
            .SelectMany(operation => operation.Value.GetProperty("responses").EnumerateObject())
            .Where(response => response.Value.TryGetProperty("x-problem-codes", out _))
            .SelectMany(response => response.Value.GetProperty("x-problem-codes").EnumerateArray().Select(code => code.GetString()!))
            .Where(code => !ApiOwnCodes.Contains(code))
            .ToList();
        var codes = ruleCodes.Concat(documented).ToHashSet(StringComparer.Ordinal);

        var texts = new ApiTexts();
        Assert.True(ruleCodes.Count >= 25, $"only {ruleCodes.Count} rule codes found");
        Assert.Contains("client_exists", codes);
        Assert.Empty(codes.Where(code => !texts.HasError("es", code)).Order());
        Assert.Empty(codes.Where(code => !texts.HasError("en", code)).Order());
    }

    [Fact]
    public void Detail_OfARaisedError_IsItsTextWithItsArguments_AndTheRaisedEnglishWhenNoKeyHasItsWords()
    {
        var texts = new ApiTexts();
        var rule = new BusinessRuleValidationException(new Moonflow.Domain.Identity.TenantTimeZoneMustBeKnownRule("Mars/Olympus"));
        var unknownWords = new Moonflow.Application.Common.Exceptions.ConflictException("client_exists", $"Words no key has: {42}.");

        Assert.Equal(
            "Zona horaria desconocida: 'Mars/Olympus'. Use un identificador de zona IANA, como 'America/Bogota', 'America/Mexico_City' o 'Europe/Madrid'.",
            InLanguage("es", () => texts.Detail(rule)));
        Assert.Equal(rule.Message, InLanguage("en", () => texts.Detail(rule)));
        Assert.Null(InLanguage("es", () => texts.Detail(unknownWords))); // the handler keeps the raised English
        Assert.Equal("Words no key has: {0}.", unknownWords.Text.Template);
        Assert.Equal("Words no key has: 42.", unknownWords.Message);
    }

    [Fact]
    public async Task Problems_OfTheApplicationAndTheDomain_AreInTheCallersLanguage_WithTheSameCode()
    {
        var agent = await api.SignInAsync("agent@demo.test");
        var number = Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        await (await agent.PostAsJsonAsync("/api/v1/clients", new { documentType = "cc", documentNumber = number, name = "Primera" }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var seller = await api.SignInAsync("seller@demo.test");
        var today = ExportTestSupport.DemoToday;
        var missing = Guid.NewGuid();

        var cases = new (HttpClient Client, Func<HttpClient, Task<HttpResponseMessage>> Send, HttpStatusCode Status, string Code, string Spanish, string English)[]
        {
            (agent, c => c.PostAsJsonAsync("/api/v1/clients", new { documentType = "cc", documentNumber = number, name = "Segunda" }),
                HttpStatusCode.Conflict, "client_exists", $"Ya existe un cliente con el documento CC {number}.", $"A client with document CC {number} already exists."),
            (agent, c => c.GetAsync($"/api/v1/clients/{missing}"),
                HttpStatusCode.NotFound, "not_found", $"No se encontró Client '{missing}'.", $"Client '{missing}' was not found."),
            (seller, c => c.RequestAsync(new { tray = "interactions", from = today.AddDays(-45), to = today, format = "csv" }),
                HttpStatusCode.BadRequest, "range_too_long", "El rango abarca 46 días", "The range covers 46 days"),
        };

        foreach (var (client, send, status, code, spanish, english) in cases)
        {
            client.DefaultRequestHeaders.AcceptLanguage.Clear(); // the demo tenant speaks Spanish
            var es = await (await send(client)).AssertProblemAsync(status, code);
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
            var en = await (await send(client)).AssertProblemAsync(status, code);

            Assert.StartsWith(spanish, es.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.StartsWith(english, en.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    private static IEnumerable<string> RuleCodes(Type type)
    {
        // Codes are constants of the rule (a few pick between two by the state they are given: both are listed).
        var known = new Dictionary<string, string[]>
        {
            ["BackupFileMustBeKeptRule"] = ["backup_expired", "backup_not_ready"],
        };
        if (known.TryGetValue(type.Name, out var codes))
        {
            return codes;
        }

        var rule = (IBusinessRule)RuntimeHelpers.GetUninitializedObject(type);
        return [rule.Code];
    }

    private static string? InLanguage(string language, Func<string?> render)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(language);
        try
        {
            return render();
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
