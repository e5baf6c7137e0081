using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moonflow.Application.Backups;
using Moonflow.Domain.Backups;
using Moonflow.Domain.Identity;
using Moonflow.Infrastructure.Persistence;

namespace Moonflow.Infrastructure.Backups;

internal sealed class BackupRequestConfiguration : IEntityTypeConfiguration<BackupRequest>
{
    public void Configure(EntityTypeBuilder<BackupRequest> builder)
    {
        builder.ToTable("backup_requests", "backups");
        builder.HasKey(b => b.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(b => b.TenantId);
        // No foreign key to the process: the process log is purged after Processes:Retention (90 days), while a backup
        // counts against the quota for 360 days and stays in the history.
        builder.HasIndex(b => b.ProcessId);
        builder.HasIndex(b => new { b.TenantId, b.RequestedAt });

        // The quota itself is checked under a per-tenant advisory lock (the windows cannot be an index); this index has the
        // last word on its core even if a bug let two requests through: one backup in the making per tenant.
        builder.HasIndex(b => b.TenantId).IsUnique().HasFilter("status IN ('Requested', 'Generating')")
            .HasDatabaseName("ux_backup_requests_one_active_per_tenant");

        builder.Property(b => b.RequestedByEmail).HasMaxLength(320);
        builder.Property(b => b.StorageKey).HasMaxLength(500);
        builder.Property(b => b.FailureReason).HasMaxLength(2000);
        builder.Ignore(b => b.CountsAgainstQuota);
        builder.Ignore(b => b.IsActive);
        builder.OwnsMany(b => b.Downloads, downloads =>
        {
            downloads.ToTable("backup_downloads", "backups");
            downloads.WithOwner().HasForeignKey(d => d.BackupId);
            downloads.HasKey(d => d.Id);
            downloads.Property(d => d.Id).ValueGeneratedNever();
            downloads.Property(d => d.IpAddress).HasMaxLength(64);
            downloads.Property(d => d.UserAgent).HasMaxLength(500);
            downloads.Property(d => d.Range).HasMaxLength(100);
        });
        builder.Navigation(b => b.Downloads).HasField("_downloads").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class BackupEmailConfiguration : IEntityTypeConfiguration<BackupEmail>
{
    public void Configure(EntityTypeBuilder<BackupEmail> builder)
    {
        builder.ToTable("email_outbox", "backups");
        builder.HasKey(e => e.Id);
        builder.HasOne<BackupRequest>().WithMany().HasForeignKey(e => e.BackupId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => e.NextAttemptAt).HasFilter("sent_at IS NULL").HasDatabaseName("ix_email_outbox_unsent");
        builder.Property(e => e.To).HasMaxLength(320);
        builder.Property(e => e.Subject).HasMaxLength(300);
        builder.Property(e => e.LastError).HasMaxLength(1000);
    }
}

internal sealed class BackupRequestRepository(MoonflowDbContext db) : IBackupRequestRepository
{
    public void Add(BackupRequest backup) => db.Add(backup);

    public void AddEmail(BackupEmail email) => db.Add(email);

    public Task LockTenantAsync(CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({$"backups:{db.CurrentTenantId}"}, 0))", cancellationToken);

    public async Task<IReadOnlyList<BackupRequest>> ListCountingAsync(CancellationToken cancellationToken) =>
        await db.Set<BackupRequest>().AsNoTracking()
            .Where(b => b.Status != BackupStatus.Failed && b.Status != BackupStatus.Cancelled)
            .OrderByDescending(b => b.RequestedAt)
            .ToListAsync(cancellationToken);

    public Task<BackupRequest?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<BackupRequest>().FirstOrDefaultAsync(b => b.Id == id, cancellationToken);

    public Task<BackupRequest?> GetByProcessAsync(Guid processId, CancellationToken cancellationToken) =>
        db.Set<BackupRequest>().FirstOrDefaultAsync(b => b.ProcessId == processId, cancellationToken);

    public Task<BackupRequest?> GetForLinkAsync(Guid tenantId, Guid backupId, CancellationToken cancellationToken) =>
        db.Set<BackupRequest>().IgnoreQueryFilters().FirstOrDefaultAsync(b => b.TenantId == tenantId && b.Id == backupId, cancellationToken);

    public async Task<BackupEmail?> LockUnsentEmailAsync(Guid emailId, CancellationToken cancellationToken) =>
        await db.Set<BackupEmail>()
            .FromSql($"SELECT * FROM backups.email_outbox WHERE id = {emailId} AND tenant_id = {db.CurrentTenantId} AND sent_at IS NULL FOR UPDATE SKIP LOCKED")
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<(Guid TenantId, Guid EmailId)>> FindDueEmailsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await db.Set<BackupEmail>().IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.SentAt == null && e.NextAttemptAt <= now)
            .OrderBy(e => e.NextAttemptAt)
            .Select(e => new { e.TenantId, e.Id })
            .Take(500)
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.TenantId, r.Id)).ToList();
    }

    public async Task<IReadOnlyList<BackupRequest>> FindRetentionPassedAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Set<BackupRequest>().IgnoreQueryFilters()
            .Where(b => b.Status == BackupStatus.Ready && b.FileExpiresAt <= now)
            .ToListAsync(cancellationToken);

    public Task ReportProgressAsync(Guid backupId, long entries, long bytes, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"UPDATE backups.backup_requests SET entries = {entries}, size_bytes = {bytes} WHERE id = {backupId} AND tenant_id = {db.CurrentTenantId} AND status = 'Generating'",
            cancellationToken);
}
