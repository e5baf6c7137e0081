using System.Xml;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Receivables.Documents;
using Moonflow.Infrastructure.Persistence;
using PdfSharp.Pdf.IO;

namespace Moonflow.Api.Tests.Documents;

/// <summary>The demo tenant's documents, as the Development seed leaves them: real files a backup can carry.</summary>
[Collection(ApiCollection.Name)]
public sealed class DemoDocumentsTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task Seed_WhenTheDemoTenantIsSeeded_EveryIssuedInvoiceHasWellFormedUblAndAPdfThatOpens()
    {
        await using var scope = await api.TenantScopeAsync("demo");
        var port = scope.ServiceProvider.GetRequiredService<IReceivablesDocuments>();
        var store = scope.ServiceProvider.GetRequiredService<IFileStorage>();

        var seeded = await port.IssuedInvoicesAsync(scope.TenantId, CancellationToken.None).Where(i => i.Number.StartsWith("FEV-", StringComparison.Ordinal)).ToListAsync();

        Assert.Equal(DemoDocumentsSeeder.IssuedInvoices, seeded.Count);
        Assert.Equal(seeded.Count, seeded.Select(i => i.PaymentOrderId).Distinct().Count());
        foreach (var invoice in seeded)
        {
            await using (var xml = await store.OpenReadAsync(invoice.Xml.FileKey, CancellationToken.None))
            {
                var document = new XmlDocument { XmlResolver = null };
                document.Load(XmlReader.Create(xml, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit }));
                Assert.Equal("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", document.DocumentElement!.NamespaceURI);
                Assert.Equal(invoice.Number, document.DocumentElement["cbc:ID"]?.InnerText);
            }

            Assert.Equal("application/pdf", invoice.Pdf.ContentType);
        }

        // Each PDF is a real document PDFsharp can open again; a sample keeps the test quick.
        foreach (var invoice in seeded.Where((_, i) => i % 40 == 0))
        {
            await using var pdf = await store.OpenReadAsync(invoice.Pdf.FileKey, CancellationToken.None);
            using var copy = new MemoryStream();
            await pdf.CopyToAsync(copy);
            copy.Position = 0;
            using var opened = PdfReader.Open(copy, PdfDocumentOpenMode.Import);
            Assert.Equal(1, opened.PageCount);
            Assert.Equal($"Factura electrónica {invoice.Number}", opened.Info.Title);
        }
    }

    [Fact]
    public async Task Seed_WhenTheDemoTenantIsSeeded_HasReceivedInvoicesAndAttachmentsOnAFewDozenClients()
    {
        await using var scope = await api.TenantScopeAsync("demo");
        var port = scope.ServiceProvider.GetRequiredService<IReceivablesDocuments>();

        var received = await port.ReceivedInvoicesAsync(scope.TenantId, CancellationToken.None).CountAsync();
        var attachments = await port.ClientAttachmentsAsync(scope.TenantId, CancellationToken.None).ToListAsync();

        Assert.True(received >= DemoDocumentsSeeder.ReceivedInvoices, $"{received} received invoices");
        Assert.True(attachments.Select(a => a.ClientId).Distinct().Count() >= DemoDocumentsSeeder.ClientsWithAttachments);
        Assert.Contains(attachments, a => a.File.ContentType == "image/png");
        Assert.Contains(attachments, a => a.File.ContentType == "application/pdf");
    }

    [Fact]
    public async Task Seed_WhenRunAgain_AddsNothing()
    {
        await using var scope = await api.TenantScopeAsync("demo");
        var port = scope.ServiceProvider.GetRequiredService<IReceivablesDocuments>();
        var before = await port.CountAsync(scope.TenantId, CancellationToken.None);

        await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync(CancellationToken.None);

        Assert.Equal(before, await port.CountAsync(scope.TenantId, CancellationToken.None));
    }
}
