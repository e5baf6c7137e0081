using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Identity;
using Moonflow.Application.Notifications;
using Moonflow.Application.Processes;
using Moonflow.Application.Identity.Preferences;
using Moonflow.Application.Receivables.Clients;
using Moonflow.Application.Receivables.PaymentOrders;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Notifications;
using Moonflow.Domain.Processes;
using Moonflow.Domain.Receivables;

namespace Moonflow.Infrastructure.Persistence;

internal sealed class BulkProcessRepository(MoonflowDbContext db) : IBulkProcessRepository
{
    public void Add(BulkProcess process) => db.Add(process);

    public Task<BulkProcess?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<BulkProcess>().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);

    public async Task<BulkProcess?> LockAsync(Guid id, CancellationToken cancellationToken)
    {
        // The row lock serialises every runner and canceller of this process until the transaction ends.
        var locked = await db.Set<BulkProcess>()
            .FromSql($"SELECT * FROM processes.bulk_processes WHERE id = {id} AND tenant_id = {db.CurrentTenantId} FOR UPDATE")
            .ToListAsync(cancellationToken);
        return locked.Count == 0 ? null : locked[0];
    }

    public Task<IReadOnlyList<(Guid TenantId, Guid ProcessId)>> FindUndispatchedAsync(DateTimeOffset queuedBefore, DateTimeOffset now, CancellationToken cancellationToken) =>
        UndispatchedAsync(p => p.QueuedAt < queuedBefore && (p.ScheduledFor == null || p.ScheduledFor <= now), cancellationToken);

    public Task<IReadOnlyList<(Guid TenantId, Guid ProcessId)>> FindDueScheduledAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        UndispatchedAsync(p => p.ScheduledFor != null && p.ScheduledFor <= now, cancellationToken);

    private async Task<IReadOnlyList<(Guid TenantId, Guid ProcessId)>> UndispatchedAsync(
        System.Linq.Expressions.Expression<Func<BulkProcess, bool>> condition, CancellationToken cancellationToken)
    {
        var rows = await db.Set<BulkProcess>().IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.Status == ProcessStatus.Queued && p.JobId == null)
            .Where(condition)
            .OrderBy(p => p.QueuedAt)
            .Select(p => new { p.TenantId, p.Id })
            .Take(500)
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.TenantId, r.Id)).ToList();
    }

    public async Task<IReadOnlyList<ExpiredFile>> FindExpiredFilesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<ExpiredFile>($"""
            SELECT id AS "FileId", storage_key AS "StorageKey" FROM processes.process_files
            WHERE expires_at <= {now} AND purged_at IS NULL ORDER BY expires_at LIMIT {limit}
            """).ToListAsync(cancellationToken);

    public Task MarkFilesPurgedAsync(IReadOnlyCollection<Guid> fileIds, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"UPDATE processes.process_files SET purged_at = {now} WHERE id = ANY({fileIds.ToArray()})", cancellationToken);

    public async Task<(int Deleted, IReadOnlyList<string> StorageKeys)> DeleteFinishedBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken)
    {
        // Files go with their process (ON DELETE CASCADE); items and targets have no foreign key (see ProcessItemConfiguration), so they are deleted here.
        var rows = await db.Database.SqlQuery<DeletedProcessRow>($"""
            WITH doomed AS (
                SELECT id FROM processes.bulk_processes WHERE finished_at < {cutoff} ORDER BY finished_at LIMIT {limit}),
            files AS (
                SELECT f.storage_key FROM processes.process_files f JOIN doomed d ON d.id = f.process_id WHERE f.purged_at IS NULL),
            items AS (
                DELETE FROM processes.process_items i WHERE i.process_id = ANY (ARRAY(SELECT id FROM doomed))),
            targets AS (
                DELETE FROM processes.process_targets t WHERE t.process_id = ANY (ARRAY(SELECT id FROM doomed))),
            deleted AS (
                DELETE FROM processes.bulk_processes p USING doomed d WHERE p.id = d.id RETURNING p.id)
            SELECT (SELECT count(*) FROM deleted)::int AS "Deleted", (SELECT array_agg(storage_key) FROM files) AS "StorageKeys"
            """).ToListAsync(cancellationToken);
        return (rows[0].Deleted, rows[0].StorageKeys ?? []);
    }

    public Task DeleteTargetsAsync(Guid processId, CancellationToken cancellationToken) =>
        db.Set<Configurations.ProcessTarget>().Where(t => t.ProcessId == processId).ExecuteDeleteAsync(cancellationToken);
}

internal sealed class NotificationRepository(MoonflowDbContext db) : INotificationRepository
{
    public void Add(Notification notification) => db.Add(notification);

    public Task<Notification?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<Notification>().FirstOrDefaultAsync(n => n.Id == id, cancellationToken);
}

internal sealed class UserRepository(MoonflowDbContext db) : IUserRepository
{
    public async Task<(User User, Tenant Tenant)?> FindForSignInAsync(string tenantSlug, string email, CancellationToken cancellationToken)
    {
        var match = await (
                from tenant in db.Set<Tenant>()
                join user in db.Set<User>().IgnoreQueryFilters() on tenant.Id equals user.TenantId
                where tenant.Slug == tenantSlug && user.Email == email
                select new { user, tenant })
            .AsNoTracking()
            .FirstOrDefaultAsync(cancellationToken);
        return match is null ? null : (match.user, match.tenant);
    }

    public Task<User?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<User>().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);

    public Task<Tenant?> GetTenantAsync(Guid tenantId, CancellationToken cancellationToken) =>
        db.Set<Tenant>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenantId, cancellationToken);

    public void Add(User user) => db.Add(user);

    public Task<bool> EmailExistsAsync(string email, CancellationToken cancellationToken) =>
        db.Set<User>().AnyAsync(u => u.Email == email, cancellationToken);

    public async Task<AdminSeats> LockAdminSeatsAsync(Guid userId, CancellationToken cancellationToken)
    {
        // The tenant's row is the lock every change of a user's role or activity takes first (until the transaction
        // ends), so the count below cannot be made stale by another admin change of the same tenant.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM identity.tenants WHERE id = {db.CurrentTenantId} FOR UPDATE", cancellationToken);
        var others = await db.Set<User>().CountAsync(u => u.Role == Role.Admin && u.IsActive && u.Id != userId, cancellationToken);
        return new AdminSeats(others);
    }
}

internal sealed class TenantRepository(MoonflowDbContext db) : ITenantRepository
{
    public Task<Tenant?> GetAsync(Guid tenantId, CancellationToken cancellationToken) =>
        db.Set<Tenant>().FirstOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
}

internal sealed class ApiKeyRepository(MoonflowDbContext db) : IApiKeyRepository
{
    public void Add(ApiKey key) => db.Add(key);

    public Task<ApiKey?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<ApiKey>().FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
}

internal sealed class ClientRepository(MoonflowDbContext db) : IClientRepository
{
    public void Add(Client client) => db.Add(client);

    public Task<bool> DocumentExistsAsync(DocumentType documentType, string documentNumber, CancellationToken cancellationToken) =>
        db.Set<Client>().AnyAsync(c => c.DocumentType == documentType && c.DocumentNumber == documentNumber, cancellationToken);
}

internal sealed class PaymentOrderRepository(MoonflowDbContext db) : IPaymentOrderRepository
{
    public void Add(PaymentOrder order) => db.Add(order);

    public Task<bool> NumberExistsAsync(string number, CancellationToken cancellationToken) =>
        db.Set<PaymentOrder>().AnyAsync(o => o.Number == number, cancellationToken);
}

internal sealed class UserPreferenceRepository(MoonflowDbContext db) : IUserPreferenceRepository
{
    public Task<UserPreference?> GetAsync(Guid userId, string key, CancellationToken cancellationToken) =>
        db.Set<UserPreference>().FirstOrDefaultAsync(p => p.UserId == userId && p.Key == key, cancellationToken);

    public void Add(UserPreference preference) => db.Add(preference);
}

internal sealed class DeletedProcessRow
{
    public int Deleted { get; init; }

    public string[]? StorageKeys { get; init; }
}
