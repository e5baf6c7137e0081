using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Interactions;
using Moonflow.Domain.Receivables;

namespace Moonflow.Infrastructure.Persistence.Configurations;

internal sealed class InteractionConfiguration : IEntityTypeConfiguration<Interaction>
{
    public void Configure(EntityTypeBuilder<Interaction> builder)
    {
        builder.ToTable("interactions", "interactions");
        builder.HasKey(i => i.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(i => i.TenantId);
        builder.HasOne<Client>().WithMany().HasForeignKey(i => i.ClientId).OnDelete(DeleteBehavior.Cascade);

        // The tray reads newest first by send date with keyset paging; filters narrow that walk.
        builder.HasIndex(i => new { i.TenantId, i.SendAt, i.Id }).IsDescending(false, true, true);
        builder.HasIndex(i => new { i.TenantId, i.ClientId, i.SendAt }).IsDescending(false, false, true);
        builder.HasIndex(i => new { i.TenantId, i.AdvisorId, i.SendAt }).IsDescending(false, false, true);

        // The same communication registered twice (a re-uploaded file) is a duplicate, not a second row. Its send time
        // is SendAt, never null (the scheduled time until it is sent): with the nullable SentAt, PostgreSQL took every
        // scheduled row for a new one, NULLs being distinct, and NULLS NOT DISTINCT would make all of a client's
        // scheduled messages on a channel one.
        builder.HasIndex(i => new { i.TenantId, i.ClientId, i.Channel, i.SendAt, i.Recipients }).IsUnique()
            .HasDatabaseName("ux_interactions_same_communication");

        builder.Property(i => i.ClientDocumentType).HasMaxLength(10);
        builder.Property(i => i.ClientDocumentNumber).HasMaxLength(30);
        builder.Property(i => i.ClientName).HasMaxLength(200);
        builder.Property(i => i.Campaign).HasMaxLength(200);
        builder.Property(i => i.Template).HasMaxLength(200);
        builder.Property(i => i.Portfolio).HasMaxLength(200);
        builder.Property(i => i.AdvisorName).HasMaxLength(200);
        builder.Property(i => i.Recipients).HasMaxLength(Interaction.MaxRecipientsLength);
        builder.Property(i => i.Message).HasMaxLength(Interaction.MaxMessageLength);
        builder.Property(i => i.ErrorMessage).HasMaxLength(1000);
        builder.Property(i => i.LastAssociatedCommunication).HasMaxLength(300);
    }
}

internal sealed class PaymentOrderConfiguration : IEntityTypeConfiguration<PaymentOrder>
{
    public void Configure(EntityTypeBuilder<PaymentOrder> builder)
    {
        builder.ToTable("payment_orders", "receivables");
        builder.HasKey(o => o.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(o => o.TenantId);
        builder.HasOne<Client>().WithMany().HasForeignKey(o => o.ClientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(o => new { o.TenantId, o.Number }).IsUnique();
        builder.HasIndex(o => new { o.TenantId, o.Id }).IsDescending(false, true);
        builder.HasIndex(o => new { o.TenantId, o.ClientId });
        builder.HasIndex(o => new { o.TenantId, o.Status, o.DueDate });
        builder.Property(o => o.Number).HasMaxLength(40);
        builder.Property(o => o.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(o => o.Amount).HasPrecision(18, 2);
        builder.Property(o => o.Balance).HasPrecision(18, 2);
    }
}

internal sealed class UserPreferenceConfiguration : IEntityTypeConfiguration<UserPreference>
{
    public void Configure(EntityTypeBuilder<UserPreference> builder)
    {
        builder.ToTable("user_preferences", "identity");
        builder.HasKey(p => new { p.TenantId, p.UserId, p.Key });
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(p => p.Key).HasMaxLength(100);
        builder.PrimitiveCollection(p => p.Values).HasField("_values").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
