namespace Moonflow.Domain.Webhooks;

/// <summary>An event partners may subscribe to: its stable name (the payload's <c>type</c>) and what it means.</summary>
public sealed record WebhookEventType(string Name, string Description);

/// <summary>
/// The catalogue of events partners can subscribe to. A module that raises a new event declares it here with one line
/// (<c>Define(...)</c>) and publishes it through the Webhooks module's publisher port; nothing else changes.
/// </summary>
public static class WebhookEvents
{
    private static readonly List<WebhookEventType> Defined = [];

    public static readonly WebhookEventType Ping = Define("ping", "Sent by POST /webhooks/{id}/test only, to check an endpoint; never subscribed to.");
    public static readonly WebhookEventType ProcessFinished = Define("process.finished", "Any process ended (completed, completed with errors, failed or cancelled); data is the process as GET /processes/{id} answers it.");
    public static readonly WebhookEventType ExportReady = Define("export.ready", "A download's file is ready in the process log; data is the process with its files.");
    public static readonly WebhookEventType ImportFinished = Define("import.finished", "An upload's process ended; data is the process with its counts and error workbook.");
    public static readonly WebhookEventType BackupReady = Define("backup.ready", "A data backup is ready to download; raised by the Backups module.");

    /// <summary>Every event, ping included, in the order they were declared.</summary>
    public static IReadOnlyList<WebhookEventType> All => Defined;

    /// <summary>The events an endpoint may subscribe to (all but <see cref="Ping"/>, which goes to whoever asks for it).</summary>
    public static IEnumerable<WebhookEventType> Subscribable => Defined.Where(e => e != Ping);

    public static bool IsSubscribable(string name) => Subscribable.Any(e => e.Name == name);

    private static WebhookEventType Define(string name, string description)
    {
        var type = new WebhookEventType(name, description);
        Defined.Add(type);
        return type;
    }
}
