using System.Text.Json;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Common.Localization;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Domain.Notifications;
using Moonflow.Domain.Processes;
using Npgsql;

namespace Moonflow.Api.Tests.Platform;

/// <summary>
/// Process labels and notifications are stored by key and arguments and said in the language of whoever reads them
/// (<c>Accept-Language</c>), whoever started the process; rows written before they had keys read as they were written.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class StoredTextsTests(MoonflowApiFactory api)
{
    [Fact]
    public void EveryProcessTypeAndNotification_HasItsTextsInBothLanguages()
    {
        var keys = Enum.GetValues<ProcessType>().Select(BulkProcessStarter.LabelKey).Concat(Notification.Keys.All).ToList();

        Assert.True(keys.Count > 15); // guards against an empty enumeration
        Assert.Empty(keys.Except(Texts.Default.Of("es").Keys));
        Assert.Empty(keys.Except(Texts.Default.Of("en").Keys));
    }

    [Fact]
    public async Task ProcessAndNotification_ReadInSpanishAndEnglish_SayTheSameInEach()
    {
        var seller = await api.SignInAsync("seller@demo.test"); // asks in English (the test clients' default)
        var tag = TestClients.UniqueTag("l10n");
        var ids = await TestClients.InsertAsync(api, "demo", 2, tag);
        var processId = await seller.StartAsync("/api/v1/clients/bulk/tags", new { clientIds = ids.Append(Guid.NewGuid()), add = new[] { "vip" } });
        await seller.WaitForProcessAsync(processId);

        var en = await ReadProcessAsync(seller, processId, "en");
        var es = await ReadProcessAsync(seller, processId, "es");

        Assert.Equal("Tag clients (+vip -)", en.GetProperty("label").GetString());
        Assert.Equal("Etiquetar clientes (+vip -)", es.GetProperty("label").GetString());
        Assert.Equal("completed_with_errors", es.GetProperty("status").GetString()); // enum values never change

        var enNotice = await NotificationOfAsync(seller, processId, "en");
        var esNotice = await NotificationOfAsync(seller, processId, "es");
        Assert.Equal("Tag clients (+vip -)", enNotice.GetProperty("title").GetString());
        Assert.Equal("Tag clients (+vip -) completed with errors: 2 done, 1 failed.", enNotice.GetProperty("message").GetString());
        Assert.Equal("Etiquetar clientes (+vip -)", esNotice.GetProperty("title").GetString());
        Assert.Equal("Etiquetar clientes (+vip -): completado con errores, 2 hechos, 1 fallidos.", esNotice.GetProperty("message").GetString());

        // The event stream is read in the watcher's language too.
        using var stream = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/processes/{processId}/events");
        stream.Headers.AcceptLanguage.Clear();
        stream.Headers.AcceptLanguage.ParseAdd("es");
        using var response = await seller.SendAsync(stream, HttpCompletionOption.ResponseHeadersRead);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var (name, data) in ServerSentEvents.ReadAsync(await response.Content.ReadAsStreamAsync(timeout.Token), timeout.Token))
        {
            Assert.Equal("Etiquetar clientes (+vip -)", data.GetProperty("label").GetString());
            if (name == "finished")
            {
                break;
            }
        }

        // Without Accept-Language: the tenant's language (Spanish for the demo tenant).
        var byTenant = await ReadProcessAsync(MoonflowApiFactory.WithoutLanguage(seller), processId, null);
        Assert.Equal("Etiquetar clientes (+vip -)", byTenant.GetProperty("label").GetString());
    }

    [Fact]
    public async Task RowsWrittenBeforeKeyedTexts_ReadAsTheyWereWritten()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var processId = await seller.StartAsync("/api/v1/clients/bulk/delete", new { clientIds = new[] { Guid.NewGuid() } });
        await seller.WaitForProcessAsync(processId);
        await api.WithDbAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(
                """
                UPDATE processes.bulk_processes SET label_text = NULL, label = 'Delete clients (old row)' WHERE id = @id;
                UPDATE notifications.notifications SET title_text = NULL, message_text = NULL, message = 'Old message.' WHERE process_id = @id;
                """,
                connection);
            command.Parameters.AddWithValue("id", processId);
            return await command.ExecuteNonQueryAsync();
        });

        var es = await ReadProcessAsync(seller, processId, "es");
        var notice = await NotificationOfAsync(seller, processId, "es");

        Assert.Equal("Delete clients (old row)", es.GetProperty("label").GetString());
        Assert.Equal("Old message.", notice.GetProperty("message").GetString());
    }

    private static async Task<JsonElement> ReadProcessAsync(HttpClient client, Guid processId, string? language)
    {
        using var request = InLanguage(HttpMethod.Get, $"/api/v1/processes/{processId}", language);
        return await (await client.SendAsync(request)).ReadJsonAsync();
    }

    private static async Task<JsonElement> NotificationOfAsync(HttpClient client, Guid processId, string language)
    {
        using var request = InLanguage(HttpMethod.Get, "/api/v1/notifications?limit=200", language);
        var page = await (await client.SendAsync(request)).ReadJsonAsync();
        return page.GetProperty("items").EnumerateArray().Single(n => n.TryGetProperty("processId", out var id) && id.ValueKind == JsonValueKind.String && id.GetGuid() == processId);
    }

    private static HttpRequestMessage InLanguage(HttpMethod method, string url, string? language)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.AcceptLanguage.Clear();
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }

        return request;
    }
}
