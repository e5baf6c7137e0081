using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Moonflow.Api.Tests.Support;

public static class ServerSentEvents
{
    /// <summary>The events of a <c>text/event-stream</c> as they arrive: the event name and its JSON data.</summary>
    public static async IAsyncEnumerable<(string Name, JsonElement Data)> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream);
        string? name = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                yield return (name ?? "message", JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
                name = null;
            }
        }
    }
}
