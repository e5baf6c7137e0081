namespace Moonflow.Architecture.Tests.Modules;

/// <summary>
/// Which module may use which, declared once for every layer. A module is the third part of a namespace,
/// <c>Moonflow.{Layer}.{Module}</c>, found by reflection in the Domain, Application, Infrastructure and Api
/// assemblies; code of a module may use its own module in any layer, the shared ones, and the modules declared
/// for it here. A new module fails the tests until it is declared.
/// </summary>
internal static class ModuleMap
{
    /// <summary>Every module may use these: the shared kernel, and the process engine every bulk action plugs into.</summary>
    public static readonly string[] Shared = ["Common", "Processes"];

    /// <summary>Technical parts of the outer layers that every module's adapters use: the one DbContext, files, spreadsheets, the Api's plumbing.</summary>
    public static readonly string[] SharedAdapters = ["Persistence", "Files", "Spreadsheets", "Infrastructure"];

    /// <summary>Each module and the other modules it may use, with why.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        // The caller and their permissions, the tenant's calendar and the mapping profile (Identity); a tray's range
        // in the tenant's days (Exports' TenantDay).
        ["Common"] = ["Identity", "Exports"],

        // A finished process notifies its requester and raises its webhooks.
        ["Processes"] = ["Notifications", "Webhooks"],
        ["Identity"] = [],
        ["Notifications"] = [],
        ["Receivables"] = [],

        // Agendas name their owners and reassigning checks the target users (Identity's users, of the tenant and active).
        ["Crm"] = ["Identity"],

        // An interaction names its client by Receivables' document types; the tray's saved columns are the user's (Identity).
        ["Interactions"] = ["Receivables", "Identity"],

        // The tenant's zone and nightly window, and the user's saved columns. The trays themselves come through
        // Common's ITraySource and TrayDefinition, so Exports knows no module that has a tray.
        ["Exports"] = ["Identity"],

        // The requester's address and the tenant's language and zone (Identity; the links reuse the API's signing key). The
        // datasets and documents come through Common's IBackupContributor, so Backups knows no module that contributes. A
        // backup becoming ready raises backup.ready to partners (Webhooks' publisher and event catalogue).
        ["Backups"] = ["Identity", "Webhooks"],
        // Partners' endpoints and the outbox of events; the admins (Identity's directory) hear of a disabled endpoint in their bell.
        ["Webhooks"] = ["Identity", "Notifications"],

        // Infrastructure: the one DbContext maps every module's aggregates, and the demo seed fills them.
        ["Persistence"] = ["Identity", "Interactions", "Notifications", "Receivables", "Webhooks", "Crm"],
        ["Files"] = [],
        ["Spreadsheets"] = [],
        ["Health"] = [],
        ["Idempotency"] = [],
        ["Jobs"] = [],
        ["Email"] = [],

        // Request counters shared by every API node (the rate limiter's partitions).
        ["RateLimiting"] = [],

        // Api: authentication (API keys, users), health checks, idempotent replays and rate limits; the signing keys
        // checked at start (the API's own, and the backup links').
        ["Infrastructure"] = ["Identity", "Health", "Idempotency", "RateLimiting", "Backups"],
    };

    /// <summary>Tables of one module that every module's SQL may use: executors record process items and read frozen targets set-based.</summary>
    public static readonly string[] PublishedTables = ["processes.process_items", "processes.process_targets"];

    /// <summary>Technical modules whose raw SQL speaks for business modules, and whose tables it may touch.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> SqlOnBehalfOf = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        // The process log's repository lives beside the DbContext, and the demo seed fills every module.
        ["Persistence"] = ["Identity", "Interactions", "Processes", "Receivables", "Crm"],

        // The process engine's Hangfire adapter dispatches processes.
        ["Jobs"] = ["Processes"],
    };
}
