using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Webhooks;

internal static class WebhookSupport
{
    public static async Task<(Guid Id, string Secret)> RegisterAsync(this HttpClient admin, string url, params string[] events)
    {
        var created = await (await admin.PostAsJsonAsync("/api/v1/webhooks", new { url, events, description = "Pruebas" })).ReadJsonAsync(HttpStatusCode.Created);
        return (created.GetProperty("webhook").GetProperty("id").GetGuid(), created.GetProperty("secret").GetString()!);
    }

    public static async Task<List<JsonElement>> DeliveriesAsync(this HttpClient admin, Guid webhookId) =>
        (await (await admin.GetAsync($"/api/v1/webhooks/{webhookId}/deliveries")).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();

    /// <summary>Polls the delivery log until <paramref name="done"/> holds for the newest delivery (or fails after the timeout).</summary>
    public static async Task<JsonElement> WaitForDeliveryAsync(this HttpClient admin, Guid webhookId, Func<JsonElement, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var deliveries = await admin.DeliveriesAsync(webhookId);
            if (deliveries.Count > 0 && done(deliveries[0]))
            {
                return deliveries[0];
            }

            Assert.True(DateTime.UtcNow < deadline, $"The delivery never reached the expected state: {string.Join(", ", deliveries)}");
            await Task.Delay(50);
        }
    }
}
