using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using Moonflow.Application.Webhooks;
using Moonflow.Domain.Webhooks;
using StandardWebhooks;

namespace Moonflow.Infrastructure.Webhooks;

/// <summary>
/// Sends one attempt, signed as Standard Webhooks: <c>webhook-id</c>, <c>webhook-timestamp</c> and <c>webhook-signature</c>
/// (<c>v1,</c> and the base64 HMAC-SHA256 of <c>id.timestamp.body</c>, one per signing secret, space-separated). The
/// connection checks the address it is about to connect to, after DNS (which may have changed since registration), and
/// redirects are not followed, so no answer can lead an attempt somewhere private.
/// </summary>
internal sealed class WebhookSender : IWebhookSender, IDisposable
{
    private const int MaxExcerptBytes = 4096;

    private readonly HttpClient _http;
    private readonly IOptions<WebhookOptions> _options;

    public WebhookSender(IOptions<WebhookOptions> options)
    {
        _options = options;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = options.Value.AttemptTimeout,
            ConnectCallback = ConnectAsync,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Moonflow-Webhooks/1.0");
    }

    public async Task<AttemptOutcome> SendAsync(WebhookMessage message, CancellationToken cancellationToken)
    {
        var timeout = _options.Value.AttemptTimeout;
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, message.Url)
            {
                Content = new StringContent(message.Body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("webhook-id", message.MessageId);
            request.Headers.Add("webhook-timestamp", message.Timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", Sign(message));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var excerpt = await ExcerptAsync(response, attempt.Token);
            return new AttemptOutcome((int)response.StatusCode, Elapsed(watch), excerpt, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptOutcome(null, Elapsed(watch), null, $"No answer within {timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException ex)
        {
            return new AttemptOutcome(null, Elapsed(watch), null, ex.InnerException is WebhookTargetRefusedException refused ? refused.Message : ex.Message);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Every secret signs the same content; receivers accept the message if any signature matches a secret they hold.</summary>
    internal static string Sign(WebhookMessage message) =>
        string.Join(' ', message.Secrets.Select(secret => new StandardWebhook(secret).Sign(message.MessageId, message.Timestamp, message.Body)));

    private static async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxExcerptBytes];
        var read = 0;
        while (read < buffer.Length && await body.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n && n > 0)
        {
            read += n;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return text.Length > WebhookDelivery.ResponseExcerptLength ? text[..WebhookDelivery.ResponseExcerptLength] : text;
    }

    private static int Elapsed(Stopwatch watch) => (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);

    /// <summary>Resolves the host and connects only to an address webhooks may reach (unless private targets are allowed).</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = _options.Value.AllowPrivateTargets ? addresses : addresses.Where(WebhookAddresses.IsPublic).ToArray();
        if (allowed.Length == 0)
        {
            throw new WebhookTargetRefusedException(
                $"Refused: '{host}' resolves to a loopback, private, link-local or metadata address ({string.Join(", ", addresses.Select(a => a.ToString()))}).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

internal sealed class WebhookTargetRefusedException(string message) : Exception(message);
