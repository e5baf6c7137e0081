using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.HostileCorpus;

namespace Moonflow.Api.Tests.Interactions;

/// <summary>The API with the product's own upload limit (20 MB), so that the hostile corpus fits, and one reader limit set.</summary>
public sealed class HostileUploadApiFactory : MoonflowApiFactory
{
    public const long ProductUploadLimit = 20 * 1024 * 1024;

    /// <summary>Half the default, to show that <c>Uploads:Limits</c> reaches the reader.</summary>
    public const long StylesLimit = 10 * 1024 * 1024;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Uploads:MaxBytes", ProductUploadLimit.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Uploads:Limits:MaxStylesBytes", StylesLimit.ToString(CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// The hostile corpus through <c>POST /api/v1/interactions/imports</c> as real multipart uploads: each file is
/// refused at once with a problem and a stable code, or its process ends <c>failed</c> with the reader's reason; the
/// 900,000 bad rows end readably with counts that add up. Never a 500, never a process left running.
/// </summary>
public sealed class HostileUploadTests(HostileUploadApiFactory api, HostileCorpusFolder corpus)
    : IClassFixture<HostileUploadApiFactory>, IClassFixture<HostileCorpusFolder>
{
    public static TheoryData<string> RefusedFiles() => new(HostileUploads.Files.Where(f => f.Refusal is not null).Select(f => f.FileName));

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public async Task Import_WhenFileIsHostile_IsRefusedOrFailsWithTheReadersReason(string fileName)
    {
        var file = HostileUploads.Named(fileName);
        var path = corpus.PathOf(file);
        var seller = await api.SignInAsync("seller@demo.test");

        var response = await PostFileAsync(seller, path, file.FileName);

        if (!Sniffs(path))
        {
            // Not even a zip any more (a truncated one has lost its directory): refused by content, before any reading.
            await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_file_type");
            return;
        }

        if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            // The header row is read before the process starts; some files give themselves away there.
            var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "malformed_file");
            Assert.Contains(file.Refusal!, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            return;
        }

        var process = await seller.WaitForProcessAsync(await AcceptedAsync(response), TimeSpan.FromMinutes(2));
        Assert.Equal("failed", process.GetProperty("status").GetString());
        Assert.Contains(file.Refusal!, process.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_When900000RowsAreAllInvalid_EndsReadablyWithCountsThatAddUp()
    {
        var file = HostileUploads.Named("bad-rows-900k.csv");
        var seller = await api.SignInAsync("seller@demo.test");

        var response = await PostFileAsync(seller, corpus.PathOf(file), file.FileName);

        var process = await seller.WaitForProcessAsync(await AcceptedAsync(response), TimeSpan.FromMinutes(10));
        var status = process.GetProperty("status").GetString();
        Assert.True(status is "failed" or "completed_with_errors", $"The process ended {status}: {process}");
        var (total, processed, succeeded, failed) = (Count(process, "total"), Count(process, "processed"), Count(process, "succeeded"), Count(process, "failed"));
        Assert.Equal(processed, succeeded + failed);
        Assert.Equal(0, succeeded);
        if (status == "failed")
        {
            Assert.False(string.IsNullOrWhiteSpace(process.GetProperty("failureReason").GetString()));
            Assert.InRange(processed, 0, file.DataRows!.Value);
        }
        else
        {
            Assert.Equal(file.DataRows, total);
            Assert.Equal(file.DataRows, failed);
            var items = await (await seller.GetAsync($"/api/v1/processes/{process.GetProperty("id").GetGuid()}/items?limit=5")).ReadJsonAsync();
            Assert.All(items.GetProperty("items").EnumerateArray(), item =>
            {
                Assert.Equal("failed", item.GetProperty("outcome").GetString());
                Assert.False(string.IsNullOrWhiteSpace(item.GetProperty("message").GetString()));
            });
        }
    }

    [Fact]
    public async Task Import_WhenUploadsLimitsAreConfigured_TheReaderHoldsFilesToThem()
    {
        var file = HostileUploads.Named("styles-bomb.xlsx");
        var seller = await api.SignInAsync("seller@demo.test");

        var response = await PostFileAsync(seller, corpus.PathOf(file), file.FileName);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "malformed_file");
        Assert.Contains($"more than {HostileUploadApiFactory.StylesLimit / (1024 * 1024)} MB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static bool Sniffs(string path)
    {
        using var content = File.OpenRead(path);
        return SpreadsheetSniffer.Detect(content) is not null;
    }

    private static long Count(JsonElement process, string name) => process.GetProperty(name).GetInt64();

    private static async Task<Guid> AcceptedAsync(HttpResponseMessage response) =>
        (await response.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("processId").GetGuid();

    private static async Task<HttpResponseMessage> PostFileAsync(HttpClient client, string path, string name)
    {
        await using var file = File.OpenRead(path);
        using var content = new MultipartFormDataContent();
        var part = new StreamContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, "file", name);
        return await client.PostAsync("/api/v1/interactions/imports", content);
    }
}
