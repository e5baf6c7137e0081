using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Moonflow.Api.Tests.Support;

namespace Moonflow.Api.Tests.Documents;

/// <summary>Real documents (and hostile ones) for the documents' API tests, and the records they hang on.</summary>
internal static class Documents
{
    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0];

    public static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9];

    /// <summary>A PDF of one empty page, with some bytes that are not text, as real PDFs have.</summary>
    public static byte[] Pdf(string marker = "") => Encoding.Latin1.GetBytes(
        $"%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n"
        + $"3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>> endobj\n% {marker}\ntrailer <</Root 1 0 R>>\n%%EOF\n");

    public static byte[] InvoiceXml(string number) => Encoding.UTF8.GetBytes(
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
          <cbc:UBLVersionID>UBL 2.1</cbc:UBLVersionID>
          <cbc:ID>{number}</cbc:ID>
          <cbc:Note>Facturación electrónica — año 2026</cbc:Note>
        </Invoice>
        """);

    public static readonly byte[] XmlWithDtd = Encoding.UTF8.GetBytes(
        """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
        <Invoice>&lol2;</Invoice>
        """);

    public static readonly byte[] XmlWithExternalEntity = Encoding.UTF8.GetBytes(
        """
        <?xml version="1.0"?>
        <!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
        <Invoice>&xxe;</Invoice>
        """);

    public static readonly byte[] BrokenXml = Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><Invoice><ID>FE-1</Invoice>");

    public static ByteArrayContent Part(byte[] bytes, string contentType)
    {
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return part;
    }

    public static MultipartFormDataContent Invoice(byte[] xml, byte[] pdf, string? number = null, string xmlName = "factura.xml", string pdfName = "factura.pdf")
    {
        var form = new MultipartFormDataContent { { Part(xml, "application/xml"), "xml", xmlName }, { Part(pdf, "application/pdf"), "pdf", pdfName } };
        if (number is not null)
        {
            form.Add(new StringContent(number), "number");
        }

        return form;
    }

    public static MultipartFormDataContent Attachment(byte[] bytes, string fileName, string contentType = "application/octet-stream") =>
        new() { { Part(bytes, contentType), "file", fileName } };

    public static MultipartFormDataContent Received(byte[] xml, string supplier, string number, string issueDate = "2026-11-20", string amount = "1250000.50")
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(supplier), "supplier" },
            { new StringContent(number), "number" },
            { new StringContent(issueDate), "issueDate" },
            { new StringContent(amount), "amount" },
        };
        form.Add(Part(xml, "text/xml"), "xml", $"{number}.xml");
        return form;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A new payment order of a new client in the tenant, through the API (a seller of the demo tenant, or an admin of acme).</summary>
    public static async Task<Guid> NewPaymentOrderAsync(MoonflowApiFactory api, HttpClient writer, string tenant = "demo")
    {
        var clientId = (await TestClients.InsertAsync(api, tenant, 1, TestClients.UniqueTag("doc")))[0];
        var order = await (await writer.PostAsJsonAsync("/api/v1/payment-orders", new
        {
            number = $"OP-T-{Guid.NewGuid():N}"[..20], clientId, issueDate = "2026-11-01", dueDate = "2026-12-01", amount = 480000m, currency = "COP",
        })).ReadJsonAsync(HttpStatusCode.Created);
        return order.GetProperty("id").GetGuid();
    }

    /// <summary>The files the store holds for the tenants' documents (all of them, whatever tenant).</summary>
    public static int StoredDocumentFiles(MoonflowApiFactory api) =>
        Directory.Exists(api.StorageRoot)
            ? Directory.EnumerateDirectories(api.StorageRoot, "documents-*").Sum(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).Count())
            : 0;
}
