using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Moonflow.Api.Tests.Support;

public static class ApiAssertions
{
    /// <summary>Asserts the status and that the body is a problem with the given stable code; returns the problem.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>Polls a process until it finishes (or fails the test after the timeout).</summary>
    public static async Task<JsonElement> WaitForProcessAsync(this HttpClient client, Guid processId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var process = await (await client.GetAsync($"/api/v1/processes/{processId}")).ReadJsonAsync();
            var status = process.GetProperty("status").GetString();
            if (status is not ("queued" or "running"))
            {
                return process;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Process {processId} still {status} after the timeout: {process}");
            await Task.Delay(100);
        }
    }

    public static async Task<Guid> StartAsync(this HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body);
        var accepted = await response.ReadJsonAsync(HttpStatusCode.Accepted);
        var processId = accepted.GetProperty("processId").GetGuid();
        Assert.EndsWith($"/api/v1/processes/{processId}", response.Headers.Location?.ToString());
        return processId;
    }
}
