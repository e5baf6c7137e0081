using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Processes;

namespace Moonflow.Infrastructure.Persistence.Configurations;

internal sealed class BulkProcessConfiguration : IEntityTypeConfiguration<BulkProcess>
{
    public void Configure(EntityTypeBuilder<BulkProcess> builder)
    {
        builder.ToTable("bulk_processes", "processes");
        builder.HasKey(p => p.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId);

        // The log is read newest first, per tenant, often per requester; ids are time-ordered.
        builder.HasIndex(p => new { p.TenantId, p.Id }).IsDescending(false, true);
        builder.HasIndex(p => new { p.TenantId, p.RequestedBy, p.Id }).IsDescending(false, false, true);
        builder.HasIndex(p => p.QueuedAt).HasFilter("status = 'Queued' AND job_id IS NULL");

        builder.Property(p => p.Label).HasMaxLength(300);
        builder.Property(p => p.LabelText).IsStoredText();
        builder.Property(p => p.Language).HasMaxLength(10);
        builder.Property(p => p.RequestedByName).HasMaxLength(300);
        builder.Property(p => p.Parameters).HasColumnType("jsonb");
        builder.Property(p => p.FailureReason).HasMaxLength(2000);
        builder.Property(p => p.JobId).HasMaxLength(100);
        builder.Ignore(p => p.IsFinished);
        builder.Ignore(p => p.ProgressPercent);

        builder.OwnsMany(p => p.Files, files =>
        {
            files.ToTable("process_files", "processes");
            files.WithOwner().HasForeignKey("ProcessId");
            files.HasKey(f => f.Id);
            files.Property(f => f.Id).ValueGeneratedNever();
            files.Property(f => f.FileName).HasMaxLength(260);
            files.Property(f => f.ContentType).HasMaxLength(200);
            files.Property(f => f.StorageKey).HasMaxLength(500);
        });
        builder.Navigation(p => p.Files).HasField("_files").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class ProcessItemConfiguration : IEntityTypeConfiguration<ProcessItem>
{
    public void Configure(EntityTypeBuilder<ProcessItem> builder)
    {
        builder.ToTable("process_items", "processes");

        // One item per target: a chunk replayed after a crash cannot record a record twice.
        builder.HasKey(i => new { i.ProcessId, i.Seq });
        builder.HasIndex(i => new { i.ProcessId, i.Outcome, i.Seq });

        // No foreign key to the process, on purpose: its check runs once per row, and a million-record process writes a
        // million items (it was a third of a CRM chunk's time). Items are only written by their process's own runner, and
        // the retention purge deletes them with their process (DeleteFinishedBeforeAsync).
        builder.Property(i => i.RecordKey).HasMaxLength(200);
        builder.Property(i => i.Message).HasMaxLength(2000);
    }
}

/// <summary>The frozen records of a running process, in work order. Persistence detail; not a domain concept.</summary>
internal sealed class ProcessTarget
{
    public Guid ProcessId { get; set; }

    public long Seq { get; set; }

    public Guid RecordId { get; set; }
}

internal sealed class ProcessTargetConfiguration : IEntityTypeConfiguration<ProcessTarget>
{
    public void Configure(EntityTypeBuilder<ProcessTarget> builder)
    {
        builder.ToTable("process_targets", "processes");
        builder.HasKey(t => new { t.ProcessId, t.Seq });

        // No foreign key, like the items: the frozen ids are written once, in the transaction that creates their process,
        // and deleted when it finishes (or with it by the retention purge); a per-row check doubled the time to freeze them.
    }
}
