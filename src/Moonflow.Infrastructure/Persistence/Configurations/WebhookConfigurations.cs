using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Webhooks;

namespace Moonflow.Infrastructure.Persistence.Configurations;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.ToTable("endpoints", "webhooks");
        builder.HasKey(e => e.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId);
        builder.HasIndex(e => e.TenantId);
        builder.Property(e => e.Url).HasMaxLength(2000);
        builder.Property(e => e.Description).HasMaxLength(500);
        builder.Property(e => e.Secret).HasMaxLength(200);
        builder.Property(e => e.PreviousSecret).HasMaxLength(200);
        builder.Property(e => e.DisabledReason).HasMaxLength(500);
        builder.PrimitiveCollection(e => e.Events).HasField("_events").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("deliveries", "webhooks");
        builder.HasKey(d => d.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(d => d.TenantId);

        // Removing an endpoint removes its delivery log; an attempt in flight then finds nothing to record.
        builder.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);

        // The delivery log of an endpoint, newest first (keyset on the time-ordered id).
        builder.HasIndex(d => new { d.EndpointId, d.Id }).IsDescending(false, true);

        // The sweep looks only at pending deliveries: a partial index keeps it small however long the log grows.
        builder.HasIndex(d => d.NextAttemptAt).HasFilter("status = 'Pending'");
        builder.Property(d => d.EventType).HasMaxLength(100);
        builder.Property(d => d.MessageId).HasMaxLength(64);
        builder.Property(d => d.LastResponseExcerpt).HasMaxLength(WebhookDelivery.ResponseExcerptLength);
        builder.Property(d => d.LastError).HasMaxLength(1000);
    }
}
