using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Security;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Moonflow.Application.Common.Files;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;
using Moonflow.Infrastructure.Receivables;

namespace Moonflow.Infrastructure.Persistence;

/// <summary>
/// The documents a backup of the demo tenant carries (Development only, idempotent: a tenant that has issued invoices
/// is left as it is): <see cref="IssuedInvoices"/> electronic invoices on payment orders, each a UBL 2.1-shaped XML and a
/// PDF drawn from one layout; <see cref="ReceivedInvoices"/> suppliers' invoices; and receipts and photos on
/// <see cref="ClientsWithAttachments"/> clients.
/// </summary>
public sealed class DemoDocumentsSeeder(MoonflowDbContext db, IFileStorage files, TimeProvider clock)
{
    public const int IssuedInvoices = 200;
    public const int ReceivedInvoices = 30;
    public const int ClientsWithAttachments = 36;

    private const string IssuerName = "Demo Cartera S.A.S.";
    private const string IssuerTaxId = "900123456-7";

    private static readonly string[] Suppliers =
        ["Papelería Andina S.A.S.", "Energía del Valle E.S.P.", "Telecomunicaciones Caribe S.A.", "Aseo Integral Ltda.", "Software Contable S.A.S."];

    public async Task SeedAsync(string tenantSlug, string userEmail, CancellationToken cancellationToken)
    {
        var tenant = await db.Set<Tenant>().AsNoTracking().FirstOrDefaultAsync(t => t.Slug == tenantSlug, cancellationToken);
        if (tenant is null || await db.Set<IssuedInvoice>().IgnoreQueryFilters().AnyAsync(i => i.TenantId == tenant.Id, cancellationToken))
        {
            return;
        }

        var userId = await db.Set<User>().IgnoreQueryFilters().Where(u => u.TenantId == tenant.Id && u.Email == userEmail).Select(u => u.Id).SingleAsync(cancellationToken);
        var folder = $"documents-{tenant.Id:N}";
        var now = clock.GetUtcNow();
        var orders = await db.Set<PaymentOrder>().IgnoreQueryFilters().AsNoTracking()
            .Where(o => o.TenantId == tenant.Id).OrderBy(o => o.Number).Take(IssuedInvoices).ToListAsync(cancellationToken);
        var clientIds = orders.Select(o => o.ClientId).Distinct().ToList();
        var clients = await db.Set<Client>().IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.TenantId == tenant.Id && clientIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);

        var pdf = new DemoInvoicePdf();
        for (var i = 0; i < orders.Count; i++)
        {
            var order = orders[i];
            var client = clients[order.ClientId];
            var number = $"FEV-{i + 1:D6}";
            var cufe = Convert.ToHexStringLower(SHA384.HashData(Encoding.UTF8.GetBytes($"{number}{order.IssueDate:yyyy-MM-dd}{order.Amount}{IssuerTaxId}{client.DocumentNumber}")));
            var xml = await StoreAsync(folder, $"{number}.xml", IssuedInvoice.XmlContentType, UblInvoice(number, cufe, order, client), cancellationToken);
            var lines = new DemoInvoicePdf.Line[]
            {
                new($"Servicio de gestión de cartera — orden {order.Number}", decimal.Round(order.Amount * 0.84m, 0)),
                new("IVA 19 %", decimal.Round(order.Amount * 0.16m, 0)),
            };
            var pdfBytes = pdf.Render(new DemoInvoicePdf.Invoice(
                number, cufe, order.IssueDate, order.DueDate, IssuerName, IssuerTaxId, client.Name, $"{client.DocumentType} {client.DocumentNumber}", order.Currency, lines));
            var printed = await StoreAsync(folder, $"{number}.pdf", IssuedInvoice.PdfContentType, pdfBytes, cancellationToken);
            db.Add(IssuedInvoice.Issue(order, number, xml, printed, userId, now));
        }

        for (var i = 0; i < ReceivedInvoices; i++)
        {
            var supplier = Suppliers[i % Suppliers.Length];
            var number = $"{(char)('A' + (i % Suppliers.Length))}V-{1000 + i}";
            var issueDate = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-3 * i);
            var amount = 150_000m + (i * 37_500m);
            var xml = await StoreAsync(folder, $"{number}.xml", IssuedInvoice.XmlContentType, ReceivedUbl(supplier, number, issueDate, amount), cancellationToken);
            db.Add(ReceivedInvoice.Register(tenant.Id, supplier, number, issueDate, amount, xml, userId, now));
        }

        var attached = await db.Set<Client>().IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.TenantId == tenant.Id).OrderBy(c => c.DocumentNumber).Take(ClientsWithAttachments).ToListAsync(cancellationToken);
        foreach (var (client, i) in attached.Select((c, i) => (c, i)))
        {
            var receipt = pdf.Render(new DemoInvoicePdf.Invoice(
                $"RC-{i + 1:D4}", "—", DateOnly.FromDateTime(now.UtcDateTime), DateOnly.FromDateTime(now.UtcDateTime), IssuerName, IssuerTaxId,
                client.Name, $"{client.DocumentType} {client.DocumentNumber}", "COP", [new DemoInvoicePdf.Line("Comprobante de pago recibido", 50_000m * (i + 1))]));
            db.Add(ClientAttachment.Attach(client, await StoreAsync(folder, $"Comprobante de pago {i + 1}.pdf", IssuedInvoice.PdfContentType, receipt, cancellationToken), userId, now));
            if (i % 3 == 0)
            {
                var photo = await StoreAsync(folder, $"Foto documento {client.DocumentNumber}.png", "image/png", Png(64, 40, (byte)(i * 7)), cancellationToken);
                db.Add(ClientAttachment.Attach(client, photo, userId, now));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<StoredDocument> StoreAsync(string folder, string name, string contentType, byte[] bytes, CancellationToken cancellationToken)
    {
        var stored = await files.SaveAsync(folder, name, (output, token) => output.WriteAsync(bytes, token).AsTask(), cancellationToken);
        return StoredDocument.Create(stored.Key, name, contentType, stored.SizeBytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    private static byte[] UblInvoice(string number, string cufe, PaymentOrder order, Client client)
    {
        var amount = order.Amount.ToString("0.00", CultureInfo.InvariantCulture);
        var net = decimal.Round(order.Amount * 0.84m, 0).ToString("0.00", CultureInfo.InvariantCulture);
        var tax = decimal.Round(order.Amount * 0.16m, 0).ToString("0.00", CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetBytes($"""
            <?xml version="1.0" encoding="UTF-8"?>
            <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
                     xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
                     xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
              <cbc:UBLVersionID>UBL 2.1</cbc:UBLVersionID>
              <cbc:CustomizationID>10</cbc:CustomizationID>
              <cbc:ID>{number}</cbc:ID>
              <cbc:UUID schemeName="CUFE-SHA384">{cufe}</cbc:UUID>
              <cbc:IssueDate>{order.IssueDate:yyyy-MM-dd}</cbc:IssueDate>
              <cbc:DueDate>{order.DueDate:yyyy-MM-dd}</cbc:DueDate>
              <cbc:InvoiceTypeCode>01</cbc:InvoiceTypeCode>
              <cbc:Note>Orden de pago {Escape(order.Number)}</cbc:Note>
              <cbc:DocumentCurrencyCode>{order.Currency}</cbc:DocumentCurrencyCode>
              <cac:AccountingSupplierParty><cac:Party><cac:PartyTaxScheme>
                <cbc:RegistrationName>{IssuerName}</cbc:RegistrationName><cbc:CompanyID schemeName="31">{IssuerTaxId}</cbc:CompanyID>
              </cac:PartyTaxScheme></cac:Party></cac:AccountingSupplierParty>
              <cac:AccountingCustomerParty><cac:Party><cac:PartyTaxScheme>
                <cbc:RegistrationName>{Escape(client.Name)}</cbc:RegistrationName><cbc:CompanyID schemeName="{client.DocumentType}">{Escape(client.DocumentNumber)}</cbc:CompanyID>
              </cac:PartyTaxScheme></cac:Party></cac:AccountingCustomerParty>
              <cac:TaxTotal><cbc:TaxAmount currencyID="{order.Currency}">{tax}</cbc:TaxAmount></cac:TaxTotal>
              <cac:LegalMonetaryTotal>
                <cbc:LineExtensionAmount currencyID="{order.Currency}">{net}</cbc:LineExtensionAmount>
                <cbc:PayableAmount currencyID="{order.Currency}">{amount}</cbc:PayableAmount>
              </cac:LegalMonetaryTotal>
              <cac:InvoiceLine>
                <cbc:ID>1</cbc:ID>
                <cbc:InvoicedQuantity unitCode="EA">1</cbc:InvoicedQuantity>
                <cbc:LineExtensionAmount currencyID="{order.Currency}">{net}</cbc:LineExtensionAmount>
                <cac:Item><cbc:Description>Servicio de gestión de cartera</cbc:Description></cac:Item>
              </cac:InvoiceLine>
            </Invoice>
            """);
    }

    private static byte[] ReceivedUbl(string supplier, string number, DateOnly issueDate, decimal amount) => Encoding.UTF8.GetBytes($"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
                 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
                 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
          <cbc:UBLVersionID>UBL 2.1</cbc:UBLVersionID>
          <cbc:ID>{number}</cbc:ID>
          <cbc:IssueDate>{issueDate:yyyy-MM-dd}</cbc:IssueDate>
          <cbc:DocumentCurrencyCode>COP</cbc:DocumentCurrencyCode>
          <cac:AccountingSupplierParty><cac:Party><cac:PartyName><cbc:Name>{Escape(supplier)}</cbc:Name></cac:PartyName></cac:Party></cac:AccountingSupplierParty>
          <cac:AccountingCustomerParty><cac:Party><cac:PartyName><cbc:Name>{IssuerName}</cbc:Name></cac:PartyName></cac:Party></cac:AccountingCustomerParty>
          <cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="COP">{amount.ToString("0.00", CultureInfo.InvariantCulture)}</cbc:PayableAmount></cac:LegalMonetaryTotal>
        </Invoice>
        """);

    private static string Escape(string text) => SecurityElement.Escape(text);

    /// <summary>A small real PNG (an RGB gradient), written by hand: signature, IHDR, one zlib-deflated IDAT, IEND.</summary>
    private static byte[] Png(int width, int height, byte seed)
    {
        var raw = new byte[height * ((width * 3) + 1)];
        for (var y = 0; y < height; y++)
        {
            var row = y * ((width * 3) + 1);
            for (var x = 0; x < width; x++)
            {
                raw[row + 1 + (x * 3)] = (byte)(x * 4 + seed);
                raw[row + 2 + (x * 3)] = (byte)(y * 6);
                raw[row + 3 + (x * 3)] = (byte)(200 - seed);
            }
        }

        using var deflated = new MemoryStream();
        using (var zlib = new ZLibStream(deflated, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", deflated.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
