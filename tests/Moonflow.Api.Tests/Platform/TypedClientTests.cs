using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Platform;

/// <summary>
/// Front ends generate typed clients from the document: the TypeScript one must compile under <c>tsc --strict</c> with
/// no casts, and the committed copy of the document (which the NSwag C# client is generated from at build time, see
/// tests/Moonflow.Api.Client) must be the one the API serves.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TypedClientTests(MoonflowApiFactory api)
{
    /// <summary>The committed document the C# client is generated from.</summary>
    public static readonly string Snapshot = Path.Combine(OpenApiDocuments.RepositoryRoot(), "build", "clients", "moonflow-v1.json");

    [Fact]
    public async Task TypeScriptClient_GeneratedFromTheServedDocument_CompilesStrictWithoutCasts()
    {
        var file = Path.Combine(Path.GetTempPath(), $"moonflow-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await OpenApiDocuments.FetchAsync(api));
        var module = Path.Combine(OpenApiDocuments.RepositoryRoot(), "build", "clients", "ts");
        Assert.True(Directory.Exists(Path.Combine(module, "node_modules")), "Run 'npm ci --prefix build/clients/ts' first (build/test.sh does).");

        using var node = Process.Start(new ProcessStartInfo("node", ["check.mjs", file])
        {
            WorkingDirectory = module, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = await node.StandardOutput.ReadToEndAsync() + await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        File.Delete(file);

        Assert.True(node.ExitCode == 0, output);
        Assert.StartsWith("typed client compiles", output);
    }

    [Fact]
    public async Task CommittedDocument_IsTheOneTheApiServes()
    {
        var served = Normalise(await OpenApiDocuments.FetchAsync(api));
        if (Environment.GetEnvironmentVariable("MOONFLOW_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(Snapshot, served);
        }

        var committed = File.Exists(Snapshot) ? Normalise(await File.ReadAllTextAsync(Snapshot)) : string.Empty;
        Assert.True(
            committed == served,
            $"{Snapshot} is not the document the API serves: run 'MOONFLOW_UPDATE_OPENAPI=1 build/test.sh --filter FullyQualifiedName~CommittedDocument' and commit it (the C# client is generated from it).");
    }

    private static string Normalise(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
}
