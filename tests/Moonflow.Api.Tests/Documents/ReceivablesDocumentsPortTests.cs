using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Receivables.Documents;
using static Moonflow.Api.Tests.Documents.Documents;

namespace Moonflow.Api.Tests.Documents;

/// <summary>The read port the backup enumerates documents with, against documents sent through the API.</summary>
[Collection(ApiCollection.Name)]
public sealed class ReceivablesDocumentsPortTests(MoonflowApiFactory api)
{
    [Fact]
    public async Task Streams_WhenATenantHasDocuments_ListEachWithItsKeyHashAndSizeAndNoOtherTenantsDocument()
    {
        var acme = await api.SignInAsync("admin@acme.test", "acme");
        var number = $"AC-{Guid.NewGuid():N}"[..16];
        var orderId = await NewPaymentOrderAsync(api, acme, "acme");
        var xml = InvoiceXml(number);
        var pdf = Pdf(number);
        await (await acme.PutAsync($"/api/v1/payment-orders/{orderId}/invoice", Invoice(xml, pdf, number))).ReadJsonAsync();
        var supplier = $"Proveedor {Guid.NewGuid():N}";
        var receivedXml = InvoiceXml("R-1");
        await (await acme.PostAsync("/api/v1/received-invoices", Received(receivedXml, supplier, "R-1"))).ReadJsonAsync(HttpStatusCode.Created);
        var clients = await TestClients.InsertAsync(api, "acme", 2, TestClients.UniqueTag("port"));
        var sent = new Dictionary<Guid, byte[]>();
        foreach (var (clientId, i) in new[] { (clients[0], 0), (clients[1], 1), (clients[0], 2), (clients[1], 3), (clients[0], 4) })
        {
            var bytes = Pdf($"adjunto {i}");
            var attachment = await (await acme.PostAsync($"/api/v1/clients/{clientId}/attachments", Attachment(bytes, $"adjunto-{i}.pdf"))).ReadJsonAsync(HttpStatusCode.Created);
            sent[attachment.GetProperty("id").GetGuid()] = bytes;
        }

        var demo = await api.SignInAsync("seller@demo.test");
        var demoNumber = $"DM-{Guid.NewGuid():N}"[..16];
        await (await demo.PutAsync($"/api/v1/payment-orders/{await NewPaymentOrderAsync(api, demo)}/invoice", Invoice(InvoiceXml(demoNumber), Pdf(), demoNumber))).ReadJsonAsync();

        await using var scope = await api.TenantScopeAsync("acme");
        var port = scope.ServiceProvider.GetRequiredService<IReceivablesDocuments>();
        var store = scope.ServiceProvider.GetRequiredService<IFileStorage>();

        var issued = await port.IssuedInvoicesAsync(scope.TenantId, CancellationToken.None).ToListAsync();
        var mine = Assert.Single(issued, i => i.Number == number);
        Assert.DoesNotContain(issued, i => i.Number == demoNumber);
        Assert.Equal(orderId, mine.PaymentOrderId);
        Assert.Equal(Sha256(xml), mine.Xml.Sha256);
        Assert.Equal(pdf.Length, mine.Pdf.SizeBytes);
        Assert.Equal("application/pdf", mine.Pdf.ContentType);
        Assert.Equal(pdf, await ReadAllAsync(store, mine.Pdf.FileKey));
        Assert.Equal(issued.Select(i => i.Number).Order(StringComparer.Ordinal), issued.Select(i => i.Number));

        var received = await port.ReceivedInvoicesAsync(scope.TenantId, CancellationToken.None).ToListAsync();
        var receivedOne = Assert.Single(received, r => r.Supplier == supplier);
        Assert.Equal("R-1", receivedOne.Number);
        Assert.Equal(receivedXml, await ReadAllAsync(store, receivedOne.Xml.FileKey));

        var attachments = await port.ClientAttachmentsAsync(scope.TenantId, CancellationToken.None).ToListAsync();
        var ours = attachments.Where(a => sent.ContainsKey(a.AttachmentId)).ToList();
        Assert.Equal(sent.Count, ours.Count);
        foreach (var attachment in ours)
        {
            Assert.Equal(sent[attachment.AttachmentId], await ReadAllAsync(store, attachment.File.FileKey));
            Assert.Equal(Sha256(sent[attachment.AttachmentId]), attachment.File.Sha256);
        }

        // Grouped by client: once a client's run of attachments ends, that client never comes again.
        var runs = attachments.Select(a => a.ClientId).Aggregate(new List<Guid>(), (seen, id) =>
        {
            if (seen.Count == 0 || seen[^1] != id)
            {
                seen.Add(id);
            }

            return seen;
        });
        Assert.Equal(runs.Count, runs.Distinct().Count());
        Assert.Equal(3, ours.Count(a => a.ClientId == clients[0]));

        var totals = await port.CountAsync(scope.TenantId, CancellationToken.None);
        Assert.Equal(issued.Count, totals.IssuedInvoices);
        Assert.Equal(issued.Sum(i => i.Xml.SizeBytes + i.Pdf.SizeBytes), totals.IssuedInvoiceBytes);
        Assert.Equal(received.Count, totals.ReceivedInvoices);
        Assert.Equal(attachments.Count, totals.ClientAttachments);
        Assert.Equal(attachments.Sum(a => a.File.SizeBytes), totals.ClientAttachmentBytes);
    }

    private static async Task<byte[]> ReadAllAsync(IFileStorage store, string key)
    {
        await using var content = await store.OpenReadAsync(key, CancellationToken.None);
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        return copy.ToArray();
    }
}
