namespace Moonflow.Domain.Identity;

/// <summary>Permission names, as they appear in tokens, API keys and the <c>/me</c> answer.</summary>
public static class Permissions
{
    public const string ClientsRead = "clients.read";
    public const string ClientsWrite = "clients.write";
    public const string BulkActionsRun = "bulk.run";
    public const string ProcessesRead = "processes.read";
    public const string ProcessesReadAll = "processes.read_all";
    public const string ProcessesCancelAny = "processes.cancel_any";
    public const string ApiKeysManage = "apikeys.manage";
    public const string JobsDashboard = "jobs.dashboard";
    public const string NotificationsRead = "notifications.read";
    public const string InteractionsRead = "interactions.read";
    public const string InteractionsImport = "interactions.import";
    public const string PaymentOrdersRead = "payment_orders.read";
    public const string PaymentOrdersWrite = "payment_orders.write";
    public const string ExportsRequest = "exports.request";
    public const string ExportsRunDeferred = "exports.run_deferred";

    /// <summary>The tenant's own settings: its time zone and nightly window.</summary>
    public const string TenantSettings = "tenant.settings";

    /// <summary>Never granted by a role: an admin grants it per user (seed 002).</summary>
    public const string BackupsRequest = "backups.request";

    /// <summary>Admins manage their tenant's users: create, change role, deactivate, grant per-user permissions.</summary>
    public const string UsersManage = "users.manage";

    /// <summary>What an admin may grant one user at a time; everything else comes with a role.</summary>
    public static readonly IReadOnlySet<string> Grantable = new HashSet<string>(StringComparer.Ordinal) { BackupsRequest };

    /// <summary>Support's follow-up of backups whose email has not gone out 48 h after the request (admins).</summary>
    public const string BackupsOverdue = "backups.overdue";

    /// <summary>Register, change and remove the tenant's webhook endpoints, and read their delivery log.</summary>
    public const string WebhooksManage = "webhooks.manage";

    /// <summary>The contact center's data: every role reads it.</summary>
    public const string CrmRead = "crm.read";

    /// <summary>Contacts, calls, agendas: admins, sellers and agents.</summary>
    public const string CrmWrite = "crm.write";

    /// <summary>Recycle, reprocess, reassign, associate, dissociate and bulk contact actions: admins and sellers (seed 004).</summary>
    public const string CrmProcesses = "crm.processes";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        ClientsRead, ClientsWrite, BulkActionsRun, ProcessesRead, ProcessesReadAll, ProcessesCancelAny,
        ApiKeysManage, JobsDashboard, NotificationsRead, BackupsRequest, InteractionsRead, InteractionsImport, PaymentOrdersRead,
        PaymentOrdersWrite, ExportsRequest, ExportsRunDeferred, TenantSettings,
        UsersManage,
        BackupsOverdue,
        WebhooksManage,
        CrmRead, CrmWrite, CrmProcesses,
    };
}

public enum Role
{
    Admin,
    Seller,
    Agent,
    Viewer,
}

public static class RolePermissions
{
    private static readonly Dictionary<Role, string[]> Map = new()
    {
        [Role.Admin] =
        [
            Permissions.ClientsRead, Permissions.ClientsWrite, Permissions.BulkActionsRun, Permissions.ProcessesRead,
            Permissions.ProcessesReadAll, Permissions.ProcessesCancelAny, Permissions.ApiKeysManage,
            Permissions.JobsDashboard, Permissions.NotificationsRead, Permissions.InteractionsRead, Permissions.InteractionsImport,
            Permissions.PaymentOrdersRead, Permissions.PaymentOrdersWrite, Permissions.ExportsRequest, Permissions.ExportsRunDeferred,
            Permissions.TenantSettings,
            Permissions.UsersManage,
            Permissions.BackupsOverdue,
            Permissions.WebhooksManage,
            Permissions.CrmRead, Permissions.CrmWrite, Permissions.CrmProcesses,
        ],
        // Seed 003: bulk actions and the process panel are for admins and sellers.
        [Role.Seller] =
        [
            Permissions.ClientsRead, Permissions.ClientsWrite, Permissions.BulkActionsRun, Permissions.ProcessesRead,
            Permissions.NotificationsRead, Permissions.InteractionsRead, Permissions.InteractionsImport, Permissions.PaymentOrdersRead,
            Permissions.PaymentOrdersWrite, Permissions.ExportsRequest,
            Permissions.CrmRead, Permissions.CrmWrite, Permissions.CrmProcesses,
        ],
        [Role.Agent] =
        [
            Permissions.ClientsRead, Permissions.ClientsWrite, Permissions.NotificationsRead, Permissions.InteractionsRead,
            Permissions.PaymentOrdersRead, Permissions.ExportsRequest, Permissions.ProcessesRead,
            Permissions.CrmRead, Permissions.CrmWrite,
        ],
        [Role.Viewer] = [Permissions.ClientsRead, Permissions.NotificationsRead, Permissions.InteractionsRead, Permissions.PaymentOrdersRead,
            Permissions.CrmRead],
    };

    public static IReadOnlyCollection<string> For(Role role) => Map[role];
}
