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

/// <summary>
/// A kept file is a complex type: its columns sit in its owner's row, prefixed by the document they belong to
/// (<c>xml_file_key</c>, <c>pdf_sha256</c>, <c>file_stored_name</c>…). Named here, as the model's snake-case pass does not
/// visit complex properties.
/// </summary>
internal static class StoredDocumentColumns
{
    public static Action<ComplexPropertyBuilder<StoredDocument>> Map(string prefix) => document =>
    {
        document.IsRequired();
        document.Property(d => d.FileKey).HasColumnName($"{prefix}_file_key").HasMaxLength(500);
        document.Property(d => d.OriginalName).HasColumnName($"{prefix}_original_name").HasMaxLength(StoredDocument.MaxNameLength);
        document.Property(d => d.StoredName).HasColumnName($"{prefix}_stored_name").HasMaxLength(StoredDocument.MaxNameLength);
        document.Property(d => d.ContentType).HasColumnName($"{prefix}_content_type").HasMaxLength(200);
        document.Property(d => d.SizeBytes).HasColumnName($"{prefix}_size_bytes");
        document.Property(d => d.Sha256).HasColumnName($"{prefix}_sha256").HasMaxLength(64).IsFixedLength();
    };
}

internal sealed class IssuedInvoiceConfiguration : IEntityTypeConfiguration<IssuedInvoice>
{
    public void Configure(EntityTypeBuilder<IssuedInvoice> builder)
    {
        builder.ToTable("issued_invoices", "receivables");
        builder.HasKey(i => i.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(i => i.TenantId);
        builder.HasOne<PaymentOrder>().WithMany().HasForeignKey(i => i.PaymentOrderId).OnDelete(DeleteBehavior.Cascade);

        // One invoice per payment order, and invoice numbers unique in the tenant: the database has the last word.
        builder.HasIndex(i => new { i.TenantId, i.PaymentOrderId }).IsUnique();
        builder.HasIndex(i => new { i.TenantId, i.Number }).IsUnique();
        builder.Property(i => i.Number).HasMaxLength(40);
        builder.ComplexProperty(i => i.Xml, StoredDocumentColumns.Map("xml"));
        builder.ComplexProperty(i => i.Pdf, StoredDocumentColumns.Map("pdf"));
    }
}

internal sealed class ReceivedInvoiceConfiguration : IEntityTypeConfiguration<ReceivedInvoice>
{
    public void Configure(EntityTypeBuilder<ReceivedInvoice> builder)
    {
        builder.ToTable("received_invoices", "receivables");
        builder.HasKey(i => i.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(i => i.TenantId);

        // A supplier's invoice is registered once (409 received_invoice_exists; the index settles a race).
        builder.HasIndex(i => new { i.TenantId, i.Supplier, i.Number }).IsUnique();
        builder.HasIndex(i => new { i.TenantId, i.Id }).IsDescending(false, true);
        builder.Property(i => i.Supplier).HasMaxLength(200);
        builder.Property(i => i.Number).HasMaxLength(40);
        builder.Property(i => i.Amount).HasPrecision(18, 2);
        builder.ComplexProperty(i => i.Xml, StoredDocumentColumns.Map("xml"));
    }
}

internal sealed class ClientAttachmentConfiguration : IEntityTypeConfiguration<ClientAttachment>
{
    public void Configure(EntityTypeBuilder<ClientAttachment> builder)
    {
        builder.ToTable("client_attachments", "receivables");
        builder.HasKey(a => a.Id);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId);

        // A client deleted (one by one or in bulk) takes its attachment rows with it rather than failing the deletion.
        builder.HasOne<Client>().WithMany().HasForeignKey(a => a.ClientId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.TenantId, a.ClientId, a.Id }).IsDescending(false, false, true);
        builder.ComplexProperty(a => a.File, StoredDocumentColumns.Map("file"));
    }
}
