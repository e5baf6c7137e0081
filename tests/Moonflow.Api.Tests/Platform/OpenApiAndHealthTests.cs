using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Platform;

[Collection(ApiCollection.Name)]
public sealed class OpenApiAndHealthTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task OpenApiDocument_WhenValidatedIndependently_IsValid()
    {
        var json = await OpenApiDocuments.FetchAsync(api);
        var file = Path.Combine(Path.GetTempPath(), $"moonflow-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json);
        var validator = Path.Combine(OpenApiDocuments.RepositoryRoot(), "build", "openapi");
        Assert.True(Directory.Exists(Path.Combine(validator, "node_modules")), "Run 'npm ci --prefix build/openapi' first (build/test.sh does).");

        using var node = Process.Start(new ProcessStartInfo("node", ["validate.mjs", file])
        {
            WorkingDirectory = validator, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = await node.StandardOutput.ReadToEndAsync() + await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        File.Delete(file);

        Assert.True(node.ExitCode == 0, output);
        Assert.StartsWith("valid OpenAPI 3.", output);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesEveryEndpointWithSummaryErrorsAndSecurity()
    {
        var document = JsonDocument.Parse(await api.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        string[] expected =
        [
            "/api/v1/auth/token", "/api/v1/me", "/api/v1/api-keys", "/api/v1/api-keys/{id}/revoke", "/api/v1/processes", "/api/v1/processes/{id}",
            "/api/v1/processes/{id}/items", "/api/v1/processes/{id}/files/{fileId}", "/api/v1/processes/{id}/cancel", "/api/v1/processes/{id}/events",
            "/api/v1/notifications", "/api/v1/notifications/{id}/read", "/api/v1/clients", "/api/v1/clients/{id}", "/api/v1/clients/bulk/tags",
            "/api/v1/clients/bulk/delete", "/api/v1/tenant/settings",
        ];
        var paths = document.GetProperty("paths");
        foreach (var path in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not documented");
            foreach (var operation in item.EnumerateObject())
            {
                Assert.False(string.IsNullOrWhiteSpace(operation.Value.GetProperty("summary").GetString()), $"{operation.Name} {path} has no summary");
                var responses = operation.Value.GetProperty("responses");
                Assert.True(
                    responses.EnumerateObject().Any(r => r.Name.StartsWith('4')),
                    $"{operation.Name} {path} documents no error response");
            }
        }

        var bulk = paths.GetProperty("/api/v1/clients/bulk/tags").GetProperty("post").GetProperty("responses");
        Assert.True(bulk.TryGetProperty("202", out _));
        Assert.True(bulk.GetProperty("403").GetProperty("content").TryGetProperty("application/problem+json", out _));
    }

    [Fact]
    public async Task SwaggerUi_IsServedWithoutSigningIn()
    {
        var response = await api.CreateClient().GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_WhenDatabaseAndJobStorageAreUp_IsHealthy(string url)
    {
        var response = await api.CreateClient().GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HangfireDashboard_IsForAdminsOnly()
    {
        var admin = await api.SignInAsync("admin@demo.test");
        var viewer = await api.SignInAsync("viewer@demo.test");

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task UnknownRoute_Returns404Problem()
    {
        var admin = await api.SignInAsync("admin@demo.test");

        await (await admin.GetAsync("/api/v1/no-such-thing")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
