using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Notifications;

namespace Moonflow.Infrastructure.Persistence.Configurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("notifications", "notifications");
        builder.HasKey(n => n.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(n => n.TenantId);
        builder.HasIndex(n => new { n.TenantId, n.UserId, n.Id }).IsDescending(false, false, true);
        builder.Property(n => n.Title).HasMaxLength(300);
        builder.Property(n => n.Message).HasMaxLength(2000);
        builder.Property(n => n.TitleText).IsStoredText();
        builder.Property(n => n.MessageText).IsStoredText();
    }
}
