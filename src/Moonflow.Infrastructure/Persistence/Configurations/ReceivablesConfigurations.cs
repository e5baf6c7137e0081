using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Infrastructure.Persistence.Configurations;

internal sealed class ClientConfiguration : IEntityTypeConfiguration<Client>
{
    public void Configure(EntityTypeBuilder<Client> builder)
    {
        builder.ToTable("clients", "receivables");
        builder.HasKey(c => c.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId);
        builder.HasIndex(c => new { c.TenantId, c.DocumentType, c.DocumentNumber }).IsUnique();
        builder.HasIndex(c => new { c.TenantId, c.Id }).IsDescending(false, true);
        builder.Property(c => c.DocumentNumber).HasMaxLength(30);
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.Email).HasMaxLength(254);
        builder.Property(c => c.Phone).HasMaxLength(30);
        builder.PrimitiveCollection(c => c.Tags).HasField("_tags").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(c => c.Tags).HasMethod("gin");
    }
}
