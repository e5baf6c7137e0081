using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moonflow.Application.Exports;
using Moonflow.Domain.Exports;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;
using Moonflow.Infrastructure.Persistence;

namespace Moonflow.Infrastructure.Exports;

internal sealed class ExportRequestConfiguration : IEntityTypeConfiguration<ExportRequest>
{
    public void Configure(EntityTypeBuilder<ExportRequest> builder)
    {
        builder.ToTable("export_requests", "exports");
        builder.HasKey(e => e.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId);
        builder.HasOne<BulkProcess>().WithMany().HasForeignKey(e => e.ProcessId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.TenantId, e.Id }).IsDescending(false, true);

        // The database has the last word on the two download rules, even if a bug let two requests through.
        builder.HasIndex(e => new { e.TenantId, e.Tray }).IsUnique().HasFilter("status = 'Pending'")
            .HasDatabaseName("ux_export_requests_one_pending_per_tray");
        builder.HasIndex(e => new { e.TenantId, e.Tray, e.LocalDay }).IsUnique().HasFilter("mode = 'Deferred' AND status <> 'Cancelled'")
            .HasDatabaseName("ux_export_requests_one_deferred_per_tray_per_day");

        builder.Property(e => e.Tray).HasMaxLength(40);
        builder.Property(e => e.Filters).HasColumnType("jsonb");
        builder.Property(e => e.Reason).HasMaxLength(300);
        builder.PrimitiveCollection(e => e.Columns).HasField("_columns").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class ExportRequestRepository(MoonflowDbContext db) : IExportRequestRepository
{
    public void Add(ExportRequest export) => db.Add(export);

    public Task<ExportRequest?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<ExportRequest>().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);

    public Task<ExportRequest?> GetByProcessAsync(Guid processId, CancellationToken cancellationToken) =>
        db.Set<ExportRequest>().FirstOrDefaultAsync(e => e.ProcessId == processId, cancellationToken);

    public Task LockTrayAsync(string tray, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({$"exports:{db.CurrentTenantId}:{tray}"}, 0))", cancellationToken);

    public Task<ExportRequest?> FindPendingAsync(string tray, CancellationToken cancellationToken) =>
        db.Set<ExportRequest>().AsNoTracking().FirstOrDefaultAsync(e => e.Tray == tray && e.Status == ExportStatus.Pending, cancellationToken);

    public Task<ExportRequest?> FindDeferredOnAsync(string tray, DateOnly localDay, CancellationToken cancellationToken) =>
        db.Set<ExportRequest>().AsNoTracking().FirstOrDefaultAsync(
            e => e.Tray == tray && e.LocalDay == localDay && e.Mode == ExportMode.Deferred && e.Status != ExportStatus.Cancelled, cancellationToken);

    public async Task<IReadOnlyList<ExportRequest>> FindPendingDeferredAsync(CancellationToken cancellationToken) =>
        await db.Set<ExportRequest>().Where(e => e.Mode == ExportMode.Deferred && e.Status == ExportStatus.Pending).ToListAsync(cancellationToken);
}
