using Microsoft.AspNetCore.Mvc.Testing;

namespace Moonflow.Api.Tests.Support;

/// <summary>The OpenAPI document as the built API serves it, for the validators and the typed-client checks.</summary>
public static class OpenApiDocuments
{
    /// <summary>
    /// Asked for at build/run.sh's default address, so the document's server is the local API (the test host's own
    /// "localhost" is what Redocly's recommended rules refuse as a placeholder server).
    /// </summary>
    public const string ServerUrl = "http://127.0.0.1:5080";

    public static Task<string> FetchAsync(MoonflowApiFactory api) =>
        api.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(ServerUrl) }).GetStringAsync("/openapi/v1.json");

    /// <summary>The repository's root (where Moonflow.sln is), from the test's output folder.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Moonflow.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Moonflow.sln not found above the test folder.");
    }
}
