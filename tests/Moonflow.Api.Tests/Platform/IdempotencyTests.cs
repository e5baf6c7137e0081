using System.Net;
using System.Net.Http.Json;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Platform;

[Collection(ApiCollection.Name)]
public sealed class IdempotencyTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task BulkRequest_WhenRetriedWithSameKeyAndBody_ReplaysTheFirstAnswerAndStartsNothingNew()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var body = new { clientIds = new[] { Guid.NewGuid() }, add = new[] { "retry" } };
        var key = Guid.NewGuid().ToString();

        var first = await PostAsync(seller, key, body);
        var second = await PostAsync(seller, key, body);

        var firstBody = await first.ReadJsonAsync(HttpStatusCode.Accepted);
        var secondBody = await second.ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(firstBody.GetProperty("processId").GetGuid(), secondBody.GetProperty("processId").GetGuid());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await CountProcessesWithTagAsync("retry"));
    }

    [Fact]
    public async Task BulkRequest_WhenKeyIsReusedWithAnotherBody_Returns422()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var key = Guid.NewGuid().ToString();
        await (await PostAsync(seller, key, new { clientIds = new[] { Guid.NewGuid() }, add = new[] { "one" } })).ReadJsonAsync(HttpStatusCode.Accepted);

        var reused = await PostAsync(seller, key, new { clientIds = new[] { Guid.NewGuid() }, add = new[] { "two" } });

        await reused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
    }

    [Fact]
    public async Task BulkRequest_WhenSameKeyArrivesTenTimesAtOnce_StartsExactlyOneProcess()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var key = Guid.NewGuid().ToString();
        var body = new { clientIds = new[] { Guid.NewGuid() }, add = new[] { "concurrent-key" } };

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PostAsync(seller, key, body)));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.Conflict }));
        Assert.Equal(1, await CountProcessesWithTagAsync("concurrent-key"));
    }

    [Fact]
    public async Task BulkRequest_WhenFirstAttemptWasInvalid_SameKeyCanBeUsedForTheCorrectedRequest()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var key = Guid.NewGuid().ToString();
        await (await PostAsync(seller, key, new { add = new[] { "fixed" } })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        var corrected = await PostAsync(seller, key, new { clientIds = new[] { Guid.NewGuid() }, add = new[] { "fixed" } });

        Assert.Equal(HttpStatusCode.Accepted, corrected.StatusCode);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/clients/bulk/tags") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private Task<long> CountProcessesWithTagAsync(string tag) =>
        api.WithDbAsync(async db =>
        {
            await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM processes.bulk_processes WHERE parameters -> 'add' ? @tag", db);
            command.Parameters.AddWithValue("tag", tag);
            return (long)(await command.ExecuteScalarAsync())!;
        });
}
