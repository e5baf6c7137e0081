using System.Net.Sockets;
using System.Text;

namespace Moonflow.Api.Tests.Uploads;

/// <summary>
/// An HTTP/1.1 client on a plain socket that reads the answer while it is still sending the body, as browsers and curl
/// do: it shows whether the server answers a body it refuses, whatever the client's library would make of it.
/// </summary>
internal static class RawHttp
{
    public sealed record Answer(int Status, string Body);

    /// <param name="sendBody">False sends the headers alone: an answer then proves the server refused without reading.</param>
    public static async Task<Answer> PostAsync(Uri server, string path, string token, GeneratedUpload upload, bool chunked, bool sendBody = true)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var head = new StringBuilder()
            .Append($"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nAuthorization: Bearer {token}\r\n")
            .Append($"Content-Type: {upload.Headers.ContentType}\r\n")
            .Append(chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {upload.Length}\r\n")
            .Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));

        using var stop = new CancellationTokenSource();
        var sending = sendBody ? SendBodyAsync(stream, upload, chunked, stop.Token) : Task.CompletedTask;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (status, body) = await ReadAnswerAsync(stream, timeout.Token);
        await stop.CancelAsync();
        await sending;
        return new Answer(status, body);
    }

    /// <summary>Sends the body until it is all sent, the server stops taking it, or the answer has come.</summary>
    private static async Task SendBodyAsync(NetworkStream stream, GeneratedUpload upload, bool chunked, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var piece in GeneratedUpload.PiecesAsync(upload).WithCancellation(cancellationToken))
            {
                if (chunked)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n"), cancellationToken);
                    await stream.WriteAsync(piece, cancellationToken);
                    await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
                }
                else
                {
                    await stream.WriteAsync(piece, cancellationToken);
                }
            }

            if (chunked)
            {
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server closed the connection after its answer, or the answer came: either way, stop sending.
        }
    }

    /// <summary>The final answer's status and body (interim 1xx answers are skipped).</summary>
    private static async Task<(int Status, string Body)> ReadAnswerAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[16 * 1024];

        async Task<bool> MoreAsync()
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            received.AddRange(buffer.AsSpan(0, read));
            return read > 0;
        }

        while (true)
        {
            int headEnd;
            while ((headEnd = IndexOf(received, "\r\n\r\n"u8.ToArray())) < 0)
            {
                if (!await MoreAsync())
                {
                    throw new IOException($"The connection closed before an answer: {Encoding.ASCII.GetString(received.ToArray())}");
                }
            }

            var head = Encoding.ASCII.GetString(received.ToArray(), 0, headEnd);
            received.RemoveRange(0, headEnd + 4);
            var lines = head.Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            if (status is >= 100 and < 200)
            {
                continue;
            }

            var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
            if (headers.TryGetValue("Content-Length", out var length))
            {
                while (received.Count < int.Parse(length, System.Globalization.CultureInfo.InvariantCulture))
                {
                    if (!await MoreAsync())
                    {
                        throw new IOException("The connection closed in the middle of the answer.");
                    }
                }

                return (status, Encoding.UTF8.GetString(received.ToArray(), 0, int.Parse(length, System.Globalization.CultureInfo.InvariantCulture)));
            }

            // Chunked: read until the last chunk, then decode.
            while (IndexOf(received, "\r\n0\r\n\r\n"u8.ToArray()) < 0 && !(received.Count >= 5 && IndexOf(received, "0\r\n\r\n"u8.ToArray()) == 0))
            {
                if (!await MoreAsync())
                {
                    throw new IOException("The connection closed in the middle of the answer.");
                }
            }

            var body = new StringBuilder();
            var bytes = received.ToArray();
            var position = 0;
            while (true)
            {
                var lineEnd = Array.IndexOf(bytes, (byte)'\r', position);
                var size = Convert.ToInt32(Encoding.ASCII.GetString(bytes, position, lineEnd - position), 16);
                if (size == 0)
                {
                    return (status, body.ToString());
                }

                body.Append(Encoding.UTF8.GetString(bytes, lineEnd + 2, size));
                position = lineEnd + 2 + size + 2;
            }
        }
    }

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Count - needle.Length; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++)
            {
                match = haystack[i + j] == needle[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
