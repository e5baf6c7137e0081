using System.Net;
using Moonflow.Api.Tests.Support;
using static Moonflow.Api.Tests.Documents.Documents;

namespace Moonflow.Api.Tests.Documents;

[Collection(ApiCollection.Name)]
public sealed class ReceivedInvoiceTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task RegisterReceivedInvoice_WhenValid_Returns201AndTheXmlDownloadsByteForByte()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var number = $"FV-{Guid.NewGuid():N}"[..16];
        var xml = InvoiceXml(number);

        var response = await seller.PostAsync("/api/v1/received-invoices", Received(xml, "Papelería Andina S.A.S.", number, "2026-11-20", "1250000.50"));

        var invoice = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/received-invoices/{invoice.GetProperty("id").GetGuid()}", response.Headers.Location?.ToString());
        Assert.Equal("Papelería Andina S.A.S.", invoice.GetProperty("supplier").GetString());
        Assert.Equal("2026-11-20", invoice.GetProperty("issueDate").GetString());
        Assert.Equal(1250000.50m, invoice.GetProperty("amount").GetDecimal());
        var viewer = await api.SignInAsync("viewer@demo.test");
        var read = await (await viewer.GetAsync(response.Headers.Location)).ReadJsonAsync();
        Assert.Equal(Sha256(xml), read.GetProperty("xml").GetProperty("sha256").GetString());
        var download = await viewer.GetAsync($"{response.Headers.Location}/xml");
        Assert.Equal(xml, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task RegisterReceivedInvoice_WhenSupplierAndNumberAreRegisteredAlready_Returns409AndKeepsNoFile()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var number = $"FV-{Guid.NewGuid():N}"[..16];
        await (await seller.PostAsync("/api/v1/received-invoices", Received(InvoiceXml(number), "Proveedor Uno", number))).ReadJsonAsync(HttpStatusCode.Created);
        var filesBefore = StoredDocumentFiles(api);

        var again = await seller.PostAsync("/api/v1/received-invoices", Received(InvoiceXml(number), "Proveedor Uno", number));

        await again.AssertProblemAsync(HttpStatusCode.Conflict, "received_invoice_exists");
        Assert.Equal(filesBefore, StoredDocumentFiles(api));
        var otherSupplier = await seller.PostAsync("/api/v1/received-invoices", Received(InvoiceXml(number), "Proveedor Dos", number));
        Assert.Equal(HttpStatusCode.Created, otherSupplier.StatusCode);
    }

    [Fact]
    public async Task RegisterReceivedInvoice_WhenFieldsAreMissingOrMalformed_Returns400NamingEachAndKeepsNoFile()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var filesBefore = StoredDocumentFiles(api);

        var response = await seller.PostAsync("/api/v1/received-invoices", Received(InvoiceXml("x"), " ", "FV-1", "20/11/2026", "1.250.000,50"));

        var errors = (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.True(errors.TryGetProperty("supplier", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("issueDate", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("amount", out _), errors.ToString());
        Assert.False(errors.TryGetProperty("number", out _), errors.ToString());
        Assert.Equal(filesBefore, StoredDocumentFiles(api));
    }

    [Fact]
    public async Task RegisterReceivedInvoice_WhenTheXmlHasAnEntity_Returns422()
    {
        var seller = await api.SignInAsync("seller@demo.test");

        var response = await seller.PostAsync("/api/v1/received-invoices", Received(XmlWithExternalEntity, "Proveedor", $"FV-{Guid.NewGuid():N}"[..16]));

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "malformed_xml");
    }

    [Fact]
    public async Task ListReceivedInvoices_WhenWalkingPagesOfOneSupplier_ReturnsEachOnceNewestFirst()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var supplier = $"Proveedor {Guid.NewGuid():N}";
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var created = await (await seller.PostAsync("/api/v1/received-invoices", Received(InvoiceXml($"N{i}"), supplier, $"N-{i}"))).ReadJsonAsync(HttpStatusCode.Created);
            ids.Add(created.GetProperty("id").GetGuid());
        }

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await seller.GetAsync($"/api/v1/received-invoices?supplier={Uri.EscapeDataString(supplier)}&limit=2{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(ids), seen);
    }

    [Fact]
    public async Task ReceivedInvoices_WhenCallerIsAViewerOrAnotherTenant_AreRefused()
    {
        var seller = await api.SignInAsync("seller@demo.test");
        var created = await (await seller.PostAsync("/api/v1/received-invoices", Received(InvoiceXml("x"), "Proveedor", $"FV-{Guid.NewGuid():N}"[..16])))
            .ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        var viewer = await api.SignInAsync("viewer@demo.test");
        var acme = await api.SignInAsync("admin@acme.test", "acme");

        await (await viewer.PostAsync("/api/v1/received-invoices", Received(InvoiceXml("y"), "Proveedor", "FV-Y"))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await acme.GetAsync($"/api/v1/received-invoices/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.GetAsync($"/api/v1/received-invoices/{id}/xml")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var acmeList = await (await acme.GetAsync("/api/v1/received-invoices?limit=200")).ReadJsonAsync();
        Assert.DoesNotContain(id, acmeList.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
    }
}
