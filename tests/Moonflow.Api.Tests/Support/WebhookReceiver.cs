using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Moonflow.Api.Tests.Support;

/// <summary>A partner's webhook receiver: real Kestrel on a free port of 127.0.0.1, answering as each test scripts it.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ReceivedWebhook> _received = Channel.CreateUnbounded<ReceivedWebhook>();
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _scripted = new();
    private Func<HttpContext, Task> _otherwise = context => { context.Response.StatusCode = 200; return context.Response.WriteAsync("ok"); };

    // A port freed by an earlier receiver may be reused; endpoints registered for that one must not reach this one.
    private readonly string _token = Guid.NewGuid().ToString("N");

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = string.Empty;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var receiver = new WebhookReceiver(builder.Build());
        receiver._app.MapPost("/hooks/{token}", receiver.HandleAsync);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Url = $"{address}/hooks/{receiver._token}";
        return receiver;
    }

    /// <summary>The next requests get these answers, in order; after them, <see cref="AnswerOtherwise"/>.</summary>
    public void AnswerNext(params Func<HttpContext, Task>[] answers)
    {
        foreach (var answer in answers)
        {
            _scripted.Enqueue(answer);
        }
    }

    public void AnswerOtherwise(Func<HttpContext, Task> answer) => _otherwise = answer;

    public static Func<HttpContext, Task> Status(int status, string body = "") => context =>
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsync(body);
    };

    /// <summary>Never answers (until the caller gives up and the connection closes).</summary>
    public static Func<HttpContext, Task> Hang => context => Task.Delay(Timeout.Infinite, context.RequestAborted);

    /// <summary>The next request received, or a failed test after the timeout.</summary>
    public async Task<ReceivedWebhook> NextAsync(TimeSpan? timeout = null)
    {
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            return await _received.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException("The receiver got no webhook within the timeout.");
        }
    }

    /// <summary>Whether a request arrives within <paramref name="window"/> (for tests that expect none).</summary>
    public async Task<bool> ReceivesAnyWithinAsync(TimeSpan window)
    {
        using var wait = new CancellationTokenSource(window);
        try
        {
            await _received.Reader.WaitToReadAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await _app.StopAsync(stop.Token);
        }

        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if ((string?)context.Request.RouteValues["token"] != _token)
        {
            context.Response.StatusCode = StatusCodes.Status410Gone;
            return;
        }

        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = new HeaderDictionary();
        foreach (var (name, value) in context.Request.Headers)
        {
            headers[name] = value;
        }

        _received.Writer.TryWrite(new ReceivedWebhook(headers, body, DateTimeOffset.UtcNow));
        await (_scripted.TryDequeue(out var answer) ? answer : _otherwise)(context);
    }
}

public sealed record ReceivedWebhook(IHeaderDictionary Headers, string Body, DateTimeOffset At)
{
    public string Id => Headers["webhook-id"].ToString();

    public string[] Signatures => Headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;
}
