using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Moonflow.Api.Tests.Support;
using Moonflow.Infrastructure.Files;

namespace Moonflow.Api.Tests.Platform;

/// <summary>Every node of a database must see the same file store; one that does not refuses to start, saying where each looks.</summary>
[Collection(ApiCollection.Name)]
public sealed class FileStoreTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task NodeStart_WhenItsFileStoreIsAnotherFolder_RefusesNamingBothFolders()
    {
        var elsewhere = Path.Combine(Path.GetTempPath(), "moonflow-tests", $"elsewhere-{Guid.NewGuid():N}");
        await using var node = new SecondNode(api.ConnectionString, elsewhere);

        var refused = Record.Exception(() => node.Services);

        var mismatch = Assert.IsType<FileStoreMismatchException>(Unwrap(refused));
        Assert.Contains($"'{elsewhere}'", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains($"'{api.StorageRoot}'", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains("FileStorage:Root", mismatch.Message, StringComparison.Ordinal);
        Directory.Delete(elsewhere, recursive: true);
    }

    [Fact]
    public async Task NodeStart_WhenItSharesTheFileStore_StartsAndServes()
    {
        await using var node = new SecondNode(api.ConnectionString, api.StorageRoot);

        var ready = await node.CreateClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Single(Directory.GetFiles(api.StorageRoot, ".moonflow-store-*"));
    }

    private static Exception? Unwrap(Exception? exception)
    {
        while (exception is not null and not FileStoreMismatchException)
        {
            exception = exception.InnerException;
        }

        return exception;
    }

    /// <summary>Another node on the same database (no jobs, no seeding: those belong to the first one here).</summary>
    private sealed class SecondNode(string connectionString, string storageRoot) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Moonflow", connectionString);
            builder.UseSetting("FileStorage:Root", storageRoot);
            builder.UseSetting("Jobs:RunServer", "false");
            builder.UseSetting("Seed:DemoData", "false");
        }
    }
}
