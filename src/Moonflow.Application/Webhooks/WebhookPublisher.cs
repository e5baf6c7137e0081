using System.Text.Json;
using System.Text.Json.Serialization;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Webhooks;

namespace Moonflow.Application.Webhooks;

/// <summary>
/// The port every module raises its events through (the process engine today; backups and the CRM next). It writes one
/// delivery (the outbox row) per subscribed endpoint into the caller's transaction, so an event exists exactly when the
/// change that caused it commits; the deliveries are handed to the job engine after that commit, and the sweep picks up
/// any whose hand-over was lost.
/// </summary>
public interface IWebhookPublisher
{
    /// <summary>Publishes <paramref name="data"/> (a DTO, as the API shows it) to the caller's tenant's endpoints subscribed to <paramref name="type"/>.</summary>
    Task PublishAsync(WebhookEventType type, object data, CancellationToken cancellationToken);
}

public sealed class WebhookPublisher(
    IWebhookEndpointRepository endpoints, IWebhookDeliveryRepository deliveries, IWebhookDispatcher dispatcher, IUnitOfWork unitOfWork,
    ICurrentUser caller, TimeProvider clock) : IWebhookPublisher
{
    public async Task PublishAsync(WebhookEventType type, object data, CancellationToken cancellationToken)
    {
        var subscribed = await endpoints.SubscribedToAsync(type.Name, cancellationToken);
        if (subscribed.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var payload = WebhookPayload.Serialize(type, now, data);
        foreach (var endpoint in subscribed)
        {
            var delivery = WebhookDelivery.Create(caller.TenantId, endpoint.Id, type.Name, payload, now);
            deliveries.Add(delivery);
            unitOfWork.AfterCommit(() =>
            {
                dispatcher.Dispatch(delivery.TenantId, delivery.Id, TimeSpan.Zero);
                return Task.CompletedTask;
            });
        }
    }
}

/// <summary>The body of every webhook: <c>{ "type", "timestamp", "data" }</c>, with the API's JSON conventions.</summary>
public static class WebhookPayload
{
    /// <summary>The API's own conventions (camelCase names, enums as snake_case strings), so data has the shapes of its DTOs.</summary>
    public static readonly JsonSerializerOptions Json = CreateJson();

    public static string Serialize(WebhookEventType type, DateTimeOffset timestamp, object data) =>
        JsonSerializer.Serialize(new { type = type.Name, timestamp, data }, Json);

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.Converters.Add(new StoredPrecisionConverter());
        return options;
    }

    /// <summary>
    /// Times as the database keeps them (microseconds): an event is written before its entity is read back, and a partner
    /// comparing the event's <c>finishedAt</c> with the API's must see the same instant.
    /// </summary>
    private sealed class StoredPrecisionConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.AddTicks(-(value.Ticks % TimeSpan.TicksPerMicrosecond)));
    }
}
