using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Moonflow.Api.Tests.Support;
using Npgsql;

namespace Moonflow.Api.Tests.Uploads;

/// <summary>Real multipart uploads of bulk communications, and the data they need.</summary>
internal static class Uploads
{
    public const string Url = "/api/v1/interactions/imports";

    public const string CsvHeader = "Tipo de documento,Número de documento,Canal,Fecha de envío,Destinatarios,Estado\r\n";

    public static async Task<(Guid Id, string Document)> NewClientAsync(MoonflowApiFactory api)
    {
        var id = (await TestClients.InsertAsync(api, "demo", 1, TestClients.UniqueTag("upload")))[0];
        var document = await api.WithDbAsync(async db =>
        {
            await using var command = new NpgsqlCommand("SELECT document_number FROM receivables.clients WHERE id = @id", db);
            command.Parameters.AddWithValue("id", id);
            return (string)(await command.ExecuteScalarAsync())!;
        });
        return (id, document);
    }

    /// <summary>A csv of sent SMS to the client, one a minute from <paramref name="first"/>; rows whose number is in <paramref name="badChannel"/> name an unknown channel.</summary>
    public static byte[] Csv(string document, int rows, DateTime first, Func<int, bool>? badChannel = null)
    {
        var csv = new StringBuilder(CsvHeader);
        for (var i = 1; i <= rows; i++)
        {
            var channel = badChannel?.Invoke(i) == true ? "Paloma" : "SMS";
            csv.Append(CultureInfo.InvariantCulture, $"CC,{document},{channel},{first.AddMinutes(i):yyyy-MM-dd HH:mm},+57 300{i:D7},Enviada\r\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    public static MultipartFormDataContent Form(byte[] file, string name = "datos.csv", string field = "file", IReadOnlyDictionary<string, string>? fields = null)
    {
        var content = new MultipartFormDataContent();
        foreach (var (key, value) in fields ?? new Dictionary<string, string>())
        {
            content.Add(new StringContent(value), key);
        }

        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, field, name);
        return content;
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, HttpContent content, string query = "", string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url + query) { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    public static Task<long> CountInteractionsAsync(MoonflowApiFactory api, Guid clientId) =>
        api.WithDbAsync(async db =>
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM interactions.interactions WHERE client_id = @client", db);
            command.Parameters.AddWithValue("client", clientId);
            return (long)(await command.ExecuteScalarAsync())!;
        });

    /// <summary>Every file under the store's upload folders (partial ones included).</summary>
    public static int StoredUploads(MoonflowApiFactory api) =>
        Directory.Exists(api.StorageRoot)
            ? Directory.EnumerateDirectories(api.StorageRoot, "uploads-*").Sum(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).Count())
            : 0;
}

/// <summary>
/// A multipart body with a file of <c>fileBytes</c> bytes of csv text, written as it is sent (nothing of that size is
/// held in memory). Without <c>declareLength</c> it goes out chunked, with no Content-Length.
/// </summary>
internal sealed class GeneratedUpload : HttpContent
{
    public const string Boundary = "moonflow-test-boundary";

    private readonly byte[] _head;
    private readonly byte[] _tail;
    private readonly long _fileBytes;
    private readonly bool _declareLength;

    public GeneratedUpload(long fileBytes, bool declareLength = true, string field = "file")
    {
        _fileBytes = fileBytes;
        _declareLength = declareLength;
        _head = Encoding.ASCII.GetBytes(
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"grande.csv\"\r\nContent-Type: text/csv\r\n\r\n");
        _tail = Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n");
        Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
    }

    public long Length => _head.Length + _fileBytes + _tail.Length;

    /// <summary>The body as bytes, for a raw socket to send.</summary>
    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> PiecesAsync(GeneratedUpload upload)
    {
        yield return upload._head;
        var line = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("CC,123,SMS,2026-01-01,+57 300,Enviada\r\n", 1700)));
        for (var left = upload._fileBytes; left > 0; left -= line.Length)
        {
            yield return line.AsMemory(0, (int)Math.Min(line.Length, left));
            await Task.Yield();
        }

        yield return upload._tail;
    }

    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        await foreach (var piece in PiecesAsync(this))
        {
            await stream.WriteAsync(piece);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = Length;
        return _declareLength;
    }
}
