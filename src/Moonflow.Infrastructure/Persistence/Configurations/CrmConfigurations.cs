using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Infrastructure.Persistence.Configurations;

// The contact center's tables, schema crm. Indexes serve the list filters (tenant first, then the filter, then the
// keyset id) and the processes' selections (base membership, lot, owner + status + due date).
internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.ToTable("contacts", "crm");
        builder.HasKey(c => c.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId);
        builder.HasOne<Lot>().WithMany().HasForeignKey(c => c.LotId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Subcategory>().WithMany().HasForeignKey(c => c.SubcategoryId).OnDelete(DeleteBehavior.SetNull);

        // Unique when given: contacts keyed by phone only have no document.
        builder.HasIndex(c => new { c.TenantId, c.DocumentType, c.DocumentNumber }).IsUnique().HasFilter("document_number IS NOT NULL");

        // The update by key matches a document number without its type: this lets each staged row reach its contacts
        // by a lookup instead of hashing the account's whole table for every chunk.
        builder.HasIndex(c => new { c.TenantId, c.DocumentNumber }).HasFilter("document_number IS NOT NULL");
        builder.HasIndex(c => new { c.TenantId, c.Id }).IsDescending(false, true);
        builder.HasIndex(c => new { c.TenantId, c.LotId, c.Id });
        builder.HasIndex(c => new { c.TenantId, c.LastContactAt, c.Id });
        builder.HasIndex(c => new { c.TenantId, c.SubcategoryId });
        builder.HasIndex(c => new { c.TenantId, c.LastUserId });
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.DocumentType).HasMaxLength(10);
        builder.Property(c => c.DocumentNumber).HasMaxLength(30);
        builder.Property(c => c.Email).HasMaxLength(254);
        builder.Property(c => c.Details).HasColumnType("jsonb");
        builder.PrimitiveCollection(c => c.Phones).HasField("_phones").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(c => c.Phones).HasMethod("gin");
        builder.PrimitiveCollection(c => c.Tags).HasField("_tags").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(c => c.Tags).HasMethod("gin");
        builder.PrimitiveCollection(c => c.BaseIds).HasField("_baseIds").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(c => c.BaseIds).HasMethod("gin");
        builder.Ignore(c => c.IsFresh);
    }
}

internal sealed class CallRecordConfiguration : IEntityTypeConfiguration<CallRecord>
{
    public void Configure(EntityTypeBuilder<CallRecord> builder)
    {
        builder.ToTable("call_history", "crm");
        builder.HasKey(c => c.Id);
        builder.HasOne<Contact>().WithMany().HasForeignKey(c => c.ContactId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Subcategory>().WithMany().HasForeignKey(c => c.SubcategoryId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(c => new { c.ContactId, c.At, c.Id }).IsDescending(false, true, true);
        builder.HasIndex(c => c.TenantId);
        builder.Property(c => c.Note).HasMaxLength(2000);
    }
}

internal sealed class CampaignBaseConfiguration : IEntityTypeConfiguration<CampaignBase>
{
    public void Configure(EntityTypeBuilder<CampaignBase> builder)
    {
        builder.ToTable("bases", "crm");
        builder.HasKey(b => b.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(b => b.TenantId);
        builder.HasIndex(b => new { b.TenantId, b.Name }).IsUnique();
        builder.Property(b => b.Name).HasMaxLength(200);
    }
}

internal sealed class LotConfiguration : IEntityTypeConfiguration<Lot>
{
    public void Configure(EntityTypeBuilder<Lot> builder)
    {
        builder.ToTable("lots", "crm");
        builder.HasKey(l => l.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(l => l.TenantId);
        builder.HasIndex(l => new { l.TenantId, l.LoadedAt });
        builder.Property(l => l.Name).HasMaxLength(200);
    }
}

internal sealed class CategoryConfiguration : IEntityTypeConfiguration<Category>
{
    public void Configure(EntityTypeBuilder<Category> builder)
    {
        builder.ToTable("categories", "crm");
        builder.HasKey(c => c.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId);
        builder.HasIndex(c => new { c.TenantId, c.Name }).IsUnique();
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.HasMany(c => c.Subcategories).WithOne().HasForeignKey(s => s.CategoryId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(c => c.Subcategories).HasField("_subcategories").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class SubcategoryConfiguration : IEntityTypeConfiguration<Subcategory>
{
    public void Configure(EntityTypeBuilder<Subcategory> builder)
    {
        builder.ToTable("subcategories", "crm");
        builder.HasKey(s => s.Id);
        builder.HasIndex(s => new { s.TenantId, s.CategoryId });
        builder.Property(s => s.Name).HasMaxLength(200);
    }
}

internal sealed class AgendaConfiguration : IEntityTypeConfiguration<Agenda>
{
    public void Configure(EntityTypeBuilder<Agenda> builder)
    {
        builder.ToTable("agendas", "crm");
        builder.HasKey(a => a.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId);
        builder.HasOne<Contact>().WithMany().HasForeignKey(a => a.ContactId).OnDelete(DeleteBehavior.Cascade);

        // Reassign takes an owner's pending agendas in due-date order; the list filters by owner and status.
        builder.HasIndex(a => new { a.TenantId, a.OwnerId, a.Status, a.DueAt, a.Id });
        builder.HasIndex(a => new { a.TenantId, a.DueAt, a.Id });
        builder.HasIndex(a => a.ContactId);
        builder.Property(a => a.Note).HasMaxLength(2000);
    }
}

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.ToTable("conversations", "crm");
        builder.HasKey(c => c.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId);
        builder.HasOne<Contact>().WithMany().HasForeignKey(c => c.ContactId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Subcategory>().WithMany().HasForeignKey(c => c.SubcategoryId).OnDelete(DeleteBehavior.SetNull);

        // The channel's conversation id is what a mass close names: one per tenant.
        builder.HasIndex(c => new { c.TenantId, c.ExternalId }).IsUnique();
        builder.HasIndex(c => new { c.TenantId, c.Status, c.Channel, c.Id });
        builder.Property(c => c.ExternalId).HasMaxLength(100);
    }
}

internal sealed class CrmEntityConfiguration : IEntityTypeConfiguration<CrmEntity>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public void Configure(EntityTypeBuilder<CrmEntity> builder)
    {
        builder.ToTable("entities", "crm");
        builder.HasKey(e => e.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId);
        builder.HasIndex(e => new { e.TenantId, e.Name }).IsUnique();
        builder.Property(e => e.Name).HasMaxLength(200);
        builder.Property(e => e.Fields).HasField("_fields").UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasColumnType("jsonb")
            .HasConversion(
                fields => JsonSerializer.Serialize(fields, Json),
                json => JsonSerializer.Deserialize<List<EntityField>>(json, Json) ?? new List<EntityField>(),
                new ValueComparer<IReadOnlyList<EntityField>>(
                    (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
                    f => JsonSerializer.Serialize(f, Json).GetHashCode(StringComparison.Ordinal),
                    f => f.ToList()));
    }
}

internal sealed class EntityRecordConfiguration : IEntityTypeConfiguration<EntityRecord>
{
    public void Configure(EntityTypeBuilder<EntityRecord> builder)
    {
        builder.ToTable("entity_records", "crm");
        builder.HasKey(r => r.Id);
        builder.HasOne<CrmEntity>().WithMany().HasForeignKey(r => r.EntityId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Contact>().WithMany().HasForeignKey(r => r.ContactId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.TenantId, r.EntityId, r.Id });
        builder.HasIndex(r => r.ContactId);
        builder.Property(r => r.Values).HasColumnType("jsonb");
    }
}

internal sealed class ScreenConfiguration : IEntityTypeConfiguration<Screen>
{
    public void Configure(EntityTypeBuilder<Screen> builder)
    {
        builder.ToTable("screens", "crm");
        builder.HasKey(s => s.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId);
        builder.HasIndex(s => new { s.TenantId, s.Name }).IsUnique();
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.HasMany(s => s.SubScreens).WithOne().HasForeignKey(s => s.ScreenId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(s => s.SubScreens).HasField("_subScreens").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class SubScreenConfiguration : IEntityTypeConfiguration<SubScreen>
{
    public void Configure(EntityTypeBuilder<SubScreen> builder)
    {
        builder.ToTable("sub_screens", "crm");
        builder.HasKey(s => s.Id);
        builder.HasIndex(s => new { s.ScreenId, s.Position });
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.HasMany(s => s.Scripts).WithOne().HasForeignKey(s => s.SubScreenId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(s => s.Scripts).HasField("_scripts").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class ScriptConfiguration : IEntityTypeConfiguration<Script>
{
    public void Configure(EntityTypeBuilder<Script> builder)
    {
        builder.ToTable("scripts", "crm");
        builder.HasKey(s => s.Id);
        builder.HasIndex(s => new { s.SubScreenId, s.Position });
        builder.HasIndex(s => s.TenantId);
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Text).HasMaxLength(Script.MaxTextLength);
    }
}
