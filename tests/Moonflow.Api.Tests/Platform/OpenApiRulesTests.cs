using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Support;
using Moonflow.Api.Tests.Uploads;

namespace Moonflow.Api.Tests.Platform;

/// <summary>
/// The rules the OpenAPI document follows so that typed clients compile against it without casts, checked over every
/// operation and schema of the served document: an endpoint or DTO added later is held to them the day it lands.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiRulesTests(MoonflowApiFactory api)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    [Fact]
    public async Task ResponseSchemas_ListEveryPropertyThatIsNotNullableAsRequired()
    {
        var document = await DocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var answered = Reachable(schemas, Operations(document)
            .SelectMany(o => o.Operation.GetProperty("responses").EnumerateObject())
            .Where(r => r.Name.StartsWith('2') && r.Value.TryGetProperty("content", out _))
            .SelectMany(r => r.Value.GetProperty("content").EnumerateObject().Select(c => c.Value)));

        Assert.Contains("ProcessDto", answered); // guards against a vacuous pass
        var broken = new List<string>();
        foreach (var name in answered)
        {
            var schema = schemas.GetProperty(name);
            if (!schema.TryGetProperty("properties", out var properties))
            {
                continue;
            }

            var required = RequiredOf(schema);
            broken.AddRange(properties.EnumerateObject()
                .Where(p => !required.Contains(p.Name) && !(p.Value.TryGetProperty("nullable", out var n) && n.GetBoolean()))
                .Select(p => $"{name}.{p.Name} is neither required nor nullable"));
            broken.AddRange(required.Where(r => !properties.TryGetProperty(r, out _)).Select(r => $"{name} requires '{r}', which it does not have"));
        }

        Assert.True(broken.Count == 0, string.Join(Environment.NewLine, broken));
        Assert.Equal(
            ["cancellationRequested", "failed", "files", "id", "label", "parameters", "processed", "progressPercent", "queuedAt", "requestedBy", "requestedByName", "status", "succeeded", "total", "type"],
            RequiredOf(schemas.GetProperty("ProcessDto")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RequestSchemas_RequireWhatTheirValidatorRequires()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");

        Assert.Equal(["email", "password", "tenant"], RequiredOf(schemas.GetProperty("IssueTokenCommand")).Order(StringComparer.Ordinal));
        Assert.Equal(["from", "to", "tray"], RequiredOf(schemas.GetProperty("ExportRequestBody")).Order(StringComparer.Ordinal)); // the command's validator
        Assert.Equal(["nightlyWindow", "timeZone"], RequiredOf(schemas.GetProperty("TenantSettingsBody")).Order(StringComparer.Ordinal));
        Assert.False(schemas.GetProperty("ExportRequestBody").GetProperty("properties").GetProperty("tray").TryGetProperty("nullable", out _));
        Assert.Empty(RequiredOf(schemas.GetProperty("BulkTagClientsCommand"))); // ids or a filter: the validator requires neither alone
    }

    [Fact]
    public async Task MultipartBodies_AreObjectsNamingTheirFieldsWithTheFileAsBinary()
    {
        var document = await DocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var multipart = Operations(document)
            .Where(o => o.Operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("multipart/form-data", out _))
            .ToList();

        Assert.NotEmpty(multipart);
        foreach (var (path, method, operation) in multipart)
        {
            var schema = Resolve(schemas, operation.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema"));
            Assert.True(schema.TryGetProperty("type", out var type) && type.GetString() == "object", $"{method} {path}: the multipart body is not an object");
            var files = schema.GetProperty("properties").EnumerateObject()
                .Where(p => p.Value.TryGetProperty("format", out var f) && f.GetString() == "binary").Select(p => p.Name).ToList();
            Assert.True(files.Count > 0, $"{method} {path}: the multipart body names no binary field");
            Assert.True(files.All(RequiredOf(schema).Contains), $"{method} {path}: its file field is not required");
            var fields = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
            var repeated = operation.TryGetProperty("parameters", out var parameters)
                ? parameters.EnumerateArray().Select(p => p.GetProperty("name").GetString()!).Where(fields.Contains).ToList()
                : [];
            Assert.True(repeated.Count == 0, $"{method} {path}: {string.Join(", ", repeated)} is both a parameter and a form field (generated clients get two arguments of one name)");
        }
    }

    [Fact]
    public async Task Upload_PostedUnderTheFieldNameTheDocumentGives_IsAcceptedAndRegistered()
    {
        var document = await DocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var body = Resolve(schemas, document.GetProperty("paths").GetProperty(Uploads.Uploads.Url).GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema"));
        var field = body.GetProperty("properties").EnumerateObject().Single(p => p.Value.TryGetProperty("format", out var f) && f.GetString() == "binary").Name;
        var (clientId, documentNumber) = await Uploads.Uploads.NewClientAsync(api);
        var seller = await api.SignInAsync("seller@demo.test");

        var response = await Uploads.Uploads.PostAsync(seller, Uploads.Uploads.Form(Uploads.Uploads.Csv(documentNumber, 3, new DateTime(2026, 3, 2, 9, 0, 0)), field: field));

        var accepted = await response.ReadJsonAsync(HttpStatusCode.Accepted);
        var process = await seller.WaitForProcessAsync(accepted.GetProperty("processId").GetGuid());
        Assert.Equal("completed", process.GetProperty("status").GetString());
        Assert.Equal(3, await Uploads.Uploads.CountInteractionsAsync(api, clientId));
    }

    [Fact]
    public async Task EnumFilters_ListTheirValues()
    {
        var document = await DocumentAsync();
        var interactions = document.GetProperty("paths").GetProperty("/api/v1/interactions").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("schema"));
        var processes = document.GetProperty("paths").GetProperty("/api/v1/processes").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("schema"));

        Assert.Equal("#/components/schemas/InteractionChannel", interactions["channel"].GetProperty("items").GetProperty("$ref").GetString());
        Assert.Equal("#/components/schemas/ProcessStatus", processes["status"].GetProperty("$ref").GetString());
        Assert.Contains("completed_with_errors", document.GetProperty("components").GetProperty("schemas").GetProperty("ProcessStatus")
            .GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task AnonymousEndpoints_DeclareNoSecurity_AndTheRestDocument401()
    {
        var document = await DocumentAsync();
        var anonymous = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null && e.RoutePattern.RawText is { } raw && raw.StartsWith("/api/", StringComparison.Ordinal))
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/').Replace(":guid", string.Empty, StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Contains("/api/v1/auth/token", anonymous);
        foreach (var (path, method, operation) in Operations(document))
        {
            var declaresNone = operation.TryGetProperty("security", out var security) && security.GetArrayLength() == 0;
            Assert.True(declaresNone == anonymous.Contains(path), $"{method} {path}: security [] is {(declaresNone ? "declared" : "missing")}");
            if (!declaresNone)
            {
                Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _), $"{method} {path} needs credentials but documents no 401");
            }
        }
    }

    [Fact]
    public async Task ProblemResponses_NameTheCodesTheyCarry()
    {
        var document = await DocumentAsync();

        var missing = new List<string>();
        foreach (var (path, method, operation) in Operations(document))
        {
            var problems = operation.GetProperty("responses").EnumerateObject().Where(r => int.Parse(r.Name) >= 400).ToList();
            if (problems.Count == 0)
            {
                missing.Add($"{method} {path} documents no problem response");
            }

            missing.AddRange(problems
                .Where(r => !r.Value.TryGetProperty("content", out var c) || !c.TryGetProperty("application/problem+json", out _)
                    || !r.Value.TryGetProperty("x-problem-codes", out var codes) || codes.GetArrayLength() == 0)
                .Select(r => $"{method} {path} {r.Name}: not a problem with its codes listed (declare them with ProducesProblemCodes)"));
        }

        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
        var request = document.GetProperty("paths").GetProperty("/api/v1/exports").GetProperty("post").GetProperty("responses");
        Assert.Contains("export_in_progress", request.GetProperty("409").GetProperty("x-problem-codes").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains("deferred_quota_exceeded", request.GetProperty("429").GetProperty("x-problem-codes").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains("code", RequiredOf(document.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails")));
    }

    [Fact]
    public async Task EveryOperationTheRateLimiterCanRefuse_Documents429RateLimitedWithRetryAfter()
    {
        var document = await DocumentAsync();

        var missing = new List<string>();
        var limited = 0;
        foreach (var (path, method, operation) in Operations(document))
        {
            var anonymous = operation.TryGetProperty("security", out var security) && security.GetArrayLength() == 0;
            var responses = operation.GetProperty("responses");
            if (anonymous && path != "/api/v1/auth/token") // sign-in is anonymous but throttled
            {
                continue;
            }

            limited++;
            if (!responses.TryGetProperty("429", out var tooMany))
            {
                missing.Add($"{method} {path}: no 429");
                continue;
            }

            if (!tooMany.GetProperty("x-problem-codes").EnumerateArray().Any(c => c.GetString() == "rate_limited"))
            {
                missing.Add($"{method} {path}: 429 without rate_limited");
            }

            if (!tooMany.TryGetProperty("headers", out var headers) || !headers.TryGetProperty("Retry-After", out var retryAfter)
                || retryAfter.GetProperty("schema").GetProperty("type").GetString() != "integer")
            {
                missing.Add($"{method} {path}: 429 without an integer Retry-After header");
            }
        }

        Assert.True(limited > 50, $"only {limited} operations checked");
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
    }

    [Fact]
    public async Task Document_NamesItsServerLicenceContactAndDescribesEveryTag()
    {
        var document = await DocumentAsync();

        Assert.Equal(OpenApiDocuments.ServerUrl, document.GetProperty("servers")[0].GetProperty("url").GetString());
        Assert.False(string.IsNullOrWhiteSpace(document.GetProperty("info").GetProperty("license").GetProperty("name").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(document.GetProperty("info").GetProperty("contact").GetProperty("email").GetString()));
        var used = Operations(document).SelectMany(o => o.Operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)).ToHashSet();
        var described = document.GetProperty("tags").EnumerateArray()
            .Where(t => t.TryGetProperty("description", out var d) && !string.IsNullOrWhiteSpace(d.GetString()))
            .Select(t => t.GetProperty("name").GetString()!).ToHashSet();
        Assert.Empty(used.Except(described)); // a tag given with WithTags instead of WithTag has no description
    }

    private async Task<JsonElement> DocumentAsync() =>
        JsonDocument.Parse(await OpenApiDocuments.FetchAsync(api)).RootElement;

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(m => Methods.Contains(m.Name)).Select(m => (path.Name, m.Name, m.Value)));

    private static HashSet<string> RequiredOf(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!).ToHashSet(StringComparer.Ordinal) : [];

    private static JsonElement Resolve(JsonElement schemas, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!["#/components/schemas/".Length..]) : schema;

    /// <summary>The component schemas reachable from these media types, through every $ref.</summary>
    private static HashSet<string> Reachable(JsonElement schemas, IEnumerable<JsonElement> roots)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<JsonElement>(roots);
        while (pending.TryPop(out var element))
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    pending.Push(item);
                }
            }
            else if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "$ref" && property.Value.GetString() is { } reference && reference.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                    {
                        var name = reference["#/components/schemas/".Length..];
                        if (found.Add(name))
                        {
                            pending.Push(schemas.GetProperty(name));
                        }
                    }
                    else
                    {
                        pending.Push(property.Value);
                    }
                }
            }
        }

        return found;
    }
}
