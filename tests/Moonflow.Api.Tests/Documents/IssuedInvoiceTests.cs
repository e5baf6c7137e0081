using System.Net;
using Moonflow.Api.Tests.Support;
using static Moonflow.Api.Tests.Documents.Documents;

namespace Moonflow.Api.Tests.Documents;

[Collection(ApiCollection.Name)]
public sealed class IssuedInvoiceTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task AttachIssuedInvoice_WhenXmlAndPdfAreSent_KeepsBothAndTheyDownloadByteForByte()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var orderId = await NewPaymentOrderAsync(api, seller);
        var xml = InvoiceXml("FE-1001");
        var pdf = Pdf("FE-1001");

        var invoice = await (await seller.PutAsync($"/api/v1/payment-orders/{orderId}/invoice", Invoice(xml, pdf, "FE-1001", "Factura FE-1001.xml"))).ReadJsonAsync();

        Assert.Equal("FE-1001", invoice.GetProperty("number").GetString());
        Assert.Equal(Sha256(xml), invoice.GetProperty("xml").GetProperty("sha256").GetString());
        Assert.Equal(pdf.Length, invoice.GetProperty("pdf").GetProperty("sizeBytes").GetInt64());
        Assert.Equal("application/pdf", invoice.GetProperty("pdf").GetProperty("contentType").GetString());
        var metadata = await (await seller.GetAsync($"/api/v1/payment-orders/{orderId}/invoice")).ReadJsonAsync();
        Assert.Equal(invoice.GetProperty("id").GetGuid(), metadata.GetProperty("id").GetGuid());
        var viewer = await api.SignInAsync("viewer@demo.test");
        var xmlDownload = await viewer.GetAsync($"/api/v1/payment-orders/{orderId}/invoice/xml");
        Assert.Equal(HttpStatusCode.OK, xmlDownload.StatusCode);
        Assert.Equal(xml, await xmlDownload.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/xml", xmlDownload.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Factura FE-1001.xml", xmlDownload.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(pdf, await (await viewer.GetAsync($"/api/v1/payment-orders/{orderId}/invoice/pdf")).Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AttachIssuedInvoice_WhenNoNumberIsGiven_TakesThePaymentOrdersNumber()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var orderId = await NewPaymentOrderAsync(api, seller);
        var order = await (await seller.GetAsync($"/api/v1/payment-orders/{orderId}")).ReadJsonAsync();

        var invoice = await (await seller.PutAsync($"/api/v1/payment-orders/{orderId}/invoice", Invoice(InvoiceXml("x"), Pdf()))).ReadJsonAsync();

        Assert.Equal(order.GetProperty("number").GetString(), invoice.GetProperty("number").GetString());
    }

    [Fact]
    public async Task AttachIssuedInvoice_WhenSentAgain_ReplacesTheFilesAndDeletesTheOldOnes()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var orderId = await NewPaymentOrderAsync(api, seller);
        var first = await (await seller.PutAsync($"/api/v1/payment-orders/{orderId}/invoice", Invoice(InvoiceXml("FE-A"), Pdf("a"), $"FE-{Guid.NewGuid():N}"[..20]))).ReadJsonAsync();
        var filesBefore = StoredDocumentFiles(api);

        var corrected = Pdf("corrected");
        var second = await (await seller.PutAsync($"/api/v1/payment-orders/{orderId}/invoice", Invoice(InvoiceXml("FE-A2"), corrected))).ReadJsonAsync();

        Assert.Equal(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
        Assert.Equal(first.GetProperty("number").GetString(), second.GetProperty("number").GetString());
        Assert.Equal(corrected, await (await seller.GetAsync($"/api/v1/payment-orders/{orderId}/invoice/pdf")).Content.ReadAsByteArrayAsync());
        Assert.Equal(filesBefore, StoredDocumentFiles(api));
    }

    [Fact]
    public async Task AttachIssuedInvoice_WhenAnotherOrdersInvoiceHasTheNumber_Returns409AndKeepsNoFile()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var number = $"FE-{Guid.NewGuid():N}"[..20];
        await (await seller.PutAsync($"/api/v1/payment-orders/{await NewPaymentOrderAsync(api, seller)}/invoice", Invoice(InvoiceXml(number), Pdf(), number))).ReadJsonAsync();
        var filesBefore = StoredDocumentFiles(api);

        var response = await seller.PutAsync($"/api/v1/payment-orders/{await NewPaymentOrderAsync(api, seller)}/invoice", Invoice(InvoiceXml(number), Pdf(), number));

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "invoice_number_taken");
        Assert.Equal(filesBefore, StoredDocumentFiles(api));
    }

    [Theory]
    [InlineData("dtd")]
    [InlineData("external-entity")]
    [InlineData("broken")]
    public async Task AttachIssuedInvoice_WhenXmlIsHostileOrMalformed_Returns422MalformedXmlAndKeepsNoFile(string kind)
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var orderId = await NewPaymentOrderAsync(api, seller);
        var xml = kind switch { "dtd" => XmlWithDtd, "external-entity" => XmlWithExternalEntity, _ => BrokenXml };
        var filesBefore = StoredDocumentFiles(api);

        var response = await seller.PutAsync($"/api/v1/payment-orders/{orderId}/invoice", Invoice(xml, Pdf()));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "malformed_xml");
        Assert.DoesNotContain("root:", problem.GetProperty("detail").GetString());
        Assert.Equal(filesBefore, StoredDocumentFiles(api));
        await (await seller.GetAsync($"/api/v1/payment-orders/{orderId}/invoice")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task AttachIssuedInvoice_WhenThePdfIsAFakeOrAnImage_Returns415WithACode()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var orderId = await NewPaymentOrderAsync(api, seller);

        var fake = new MultipartFormDataContent { { Part(InvoiceXml("x"), "application/xml"), "xml", "f.xml" }, { Part("not a pdf at all"u8.ToArray(), "application/pdf"), "pdf", "f.pdf" } };
        await (await seller.PutAsync($"/api/v1/payment-orders/{orderId}/invoice", fake)).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "content_type_mismatch");

        var image = new MultipartFormDataContent { { Part(InvoiceXml("x"), "application/xml"), "xml", "f.xml" }, { Part(Png, "image/png"), "pdf", "scan.png" } };
        await (await seller.PutAsync($"/api/v1/payment-orders/{orderId}/invoice", image)).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_file_type");

        var swapped = Invoice(Pdf(), InvoiceXml("x"), xmlName: "f.bin", pdfName: "f.bin");
        await (await seller.PutAsync($"/api/v1/payment-orders/{orderId}/invoice", swapped)).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "content_type_mismatch");
    }

    [Fact]
    public async Task AttachIssuedInvoice_WhenTheXmlIsPngNamedXml_Returns415ContentTypeMismatch()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var orderId = await NewPaymentOrderAsync(api, seller);

        var form = new MultipartFormDataContent { { Part(Png, "application/octet-stream"), "xml", "factura.xml" }, { Part(Pdf(), "application/pdf"), "pdf", "f.pdf" } };

        await (await seller.PutAsync($"/api/v1/payment-orders/{orderId}/invoice", form)).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "content_type_mismatch");
    }

    [Fact]
    public async Task AttachIssuedInvoice_WhenThePdfIsMissing_Returns400NamingItAndKeepsNoFile()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var orderId = await NewPaymentOrderAsync(api, seller);
        var filesBefore = StoredDocumentFiles(api);

        var form = new MultipartFormDataContent { { Part(InvoiceXml("x"), "application/xml"), "xml", "f.xml" } };
        var problem = await (await seller.PutAsync($"/api/v1/payment-orders/{orderId}/invoice", form)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty("pdf", out _), problem.ToString());
        Assert.Equal(filesBefore, StoredDocumentFiles(api));
    }

    [Fact]
    public async Task AttachIssuedInvoice_WhenAFileIsOverTheLimit_Returns413FileTooLargeAndKeepsNoFile()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var orderId = await NewPaymentOrderAsync(api, seller);
        var filesBefore = StoredDocumentFiles(api);
        var big = new byte[MoonflowApiFactory.MaxUploadBytes + 1];
        Pdf().CopyTo(big, 0);

        var response = await seller.PutAsync($"/api/v1/payment-orders/{orderId}/invoice", Invoice(InvoiceXml("x"), big));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "file_too_large");
        Assert.Equal(filesBefore, StoredDocumentFiles(api));
    }

    [Fact]
    public async Task AttachIssuedInvoice_WhenCallerMayNotWritePaymentOrders_Returns403AndKeepsNoFile()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var orderId = await NewPaymentOrderAsync(api, seller);
        var agent = await api.SignInAsync("agent@demo.test");
        var filesBefore = StoredDocumentFiles(api);

        await (await agent.PutAsync($"/api/v1/payment-orders/{orderId}/invoice", Invoice(InvoiceXml("x"), Pdf()))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(filesBefore, StoredDocumentFiles(api));
    }

    [Fact]
    public async Task IssuedInvoice_WhenThePaymentOrderIsAnotherTenants_Returns404Everywhere()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var orderId = await NewPaymentOrderAsync(api, seller);
        await (await seller.PutAsync($"/api/v1/payment-orders/{orderId}/invoice", Invoice(InvoiceXml("x"), Pdf(), $"FE-{Guid.NewGuid():N}"[..20]))).ReadJsonAsync();
        var acme = await api.SignInAsync("admin@acme.test", "acme");

        await (await acme.GetAsync($"/api/v1/payment-orders/{orderId}/invoice")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.GetAsync($"/api/v1/payment-orders/{orderId}/invoice/xml")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.GetAsync($"/api/v1/payment-orders/{orderId}/invoice/pdf")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.PutAsync($"/api/v1/payment-orders/{orderId}/invoice", Invoice(InvoiceXml("x"), Pdf()))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
