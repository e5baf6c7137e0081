using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Exports;

internal static class ExportTestSupport
{
    /// <summary>Today in the demo tenant's zone (America/Bogota).</summary>
    public static DateOnly DemoToday =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("America/Bogota")).DateTime);

    public static Task<HttpResponseMessage> RequestAsync(this HttpClient client, object body) => client.PostAsJsonAsync("/api/v1/exports", body);

    public static async Task<JsonElement> WaitForExportAsync(this HttpClient client, Guid exportId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var export = await (await client.GetAsync($"/api/v1/exports/{exportId}")).ReadJsonAsync();
            if (export.GetProperty("status").GetString() != "pending")
            {
                return export;
            }

            Assert.True(DateTime.UtcNow < deadline, $"export still pending: {export}");
            await Task.Delay(100);
        }
    }

    public static async Task<byte[]> DownloadAsync(this HttpClient client, JsonElement export, string expectedContentType)
    {
        var response = await client.GetAsync(export.GetProperty("fileUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expectedContentType, response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }
}

/// <summary>Exports keep per-tenant state (one pending per tray, one deferred per day): each test class gets its own database.</summary>
public sealed class ExportsFactory : MoonflowApiFactory;
