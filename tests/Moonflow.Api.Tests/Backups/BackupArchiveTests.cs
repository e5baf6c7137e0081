using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.Extensions.DependencyInjection;
using Moonflow.Api.Tests.Support;
using Moonflow.Application.Backups.Archive;
using Moonflow.Application.Common.Spreadsheets;
using Moonflow.Infrastructure.Persistence;
using Npgsql;
using static Moonflow.Api.Tests.Documents.Documents;

namespace Moonflow.Api.Tests.Backups;

/// <summary>
/// What a backup carries, read back from the zip its email links to: the Receivables documents (issued and received invoices
/// with their reports, one folder per client with its attachments) and the CRM datasets, each checked against the database
/// and the file store.
/// </summary>
public sealed class BackupArchiveTests(BackupApiFactory api) : IClassFixture<BackupApiFactory>, IAsyncLifetime
{
    private const string Admin = "admin@demo.test";

    public async Task InitializeAsync()
    {
        api.Slow.Enabled = false;
        api.Smtp.Refusing = false;
        await api.ResetBackupsAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Request_WhenTheTenantHasDocuments_TheArchiveHoldsEveryInvoiceAndOneFolderPerClientWithItsFilesByteForByte()
    {
        // A client whose name has characters no folder may carry, with two files of one name and one that deflates.
        var clientId = (await TestClients.InsertAsync(api, "demo", 1, TestClients.UniqueTag("bak")))[0];
        await api.ExecuteAsync("UPDATE receivables.clients SET name = 'Pérez / Hijos: S.A.' WHERE id = @c", ("c", clientId));
        var number = await api.ScalarAsync<string>("SELECT document_number FROM receivables.clients WHERE id = @c", ("c", clientId));
        var agent = await api.SignInAsync("agent@demo.test");
        var first = Pdf("primera");
        var second = Pdf("segunda");
        var notes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("Acuerdo de pago: cuota mensual, sin intereses de mora.\n", 400)));
        foreach (var (bytes, name, type) in new[] { (first, "acta.pdf", "application/pdf"), (second, "acta.pdf", "application/pdf"), (notes, "notas.txt", "text/plain") })
        {
            await (await agent.PostAsync($"/api/v1/clients/{clientId}/attachments", Attachment(bytes, name, type))).ReadJsonAsync(HttpStatusCode.Created);
        }

        using var zip = await BackupZipAsync();

        AssertManifestMatchesEveryEntry(zip);
        var folder = $"clients/CC-{number}-Pérez _ Hijos_ S.A";
        Assert.Equal(first, ReadEntry(zip, $"{folder}/acta.pdf"));
        Assert.Equal(second, ReadEntry(zip, $"{folder}/acta (2).pdf"));
        Assert.Equal(notes, ReadEntry(zip, $"{folder}/notas.txt"));
        Assert.Equal(zip.GetEntry($"{folder}/acta.pdf")!.Length, zip.GetEntry($"{folder}/acta.pdf")!.CompressedLength); // a PDF is stored
        Assert.True(zip.GetEntry($"{folder}/notas.txt")!.CompressedLength < notes.Length / 10, "text is deflated");

        // Every client with attachments has its folder, holding exactly its files in the order they were attached.
        var tenantId = await api.ScalarAsync<Guid>("SELECT id FROM identity.tenants WHERE slug = 'demo'");
        var attachments = await RowsAsync(
            """
            SELECT c.document_type || '-' || c.document_number || '-' || c.name, a.file_file_key
            FROM receivables.client_attachments a JOIN receivables.clients c ON c.id = a.client_id
            WHERE a.tenant_id = @t ORDER BY c.document_type, c.document_number, c.id, a.created_at, a.id
            """,
            tenantId);
        Assert.True(attachments.Select(a => a[0]).Distinct().Count() > 30, "the demo's clients with attachments");
        var expectedFolders = attachments.GroupBy(a => "clients/" + ArchiveEntryNames.Segment(a[0])).ToList();
        var zipFolders = zip.Entries.Where(e => e.FullName.StartsWith("clients/", StringComparison.Ordinal))
            .GroupBy(e => e.FullName[..e.FullName.LastIndexOf('/')]).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(expectedFolders.Select(g => g.Key).Order(StringComparer.Ordinal), zipFolders.Keys.Order(StringComparer.Ordinal));
        foreach (var group in expectedFolders)
        {
            var entries = zipFolders[group.Key];
            Assert.Equal(group.Count(), entries.Count);
            foreach (var (attachment, entry) in group.Zip(entries))
            {
                Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(api.StorageRoot, attachment[1])), ReadEntry(zip, entry.FullName));
            }
        }

        // Issued invoices: the XML (well-formed) and the PDF of each, and a report with one row per invoice.
        var issued = await RowsAsync("SELECT number, xml_file_key, pdf_file_key FROM receivables.issued_invoices WHERE tenant_id = @t ORDER BY number", tenantId);
        Assert.NotEmpty(issued);
        foreach (var invoice in issued)
        {
            var xml = ReadEntry(zip, $"invoices/issued/{invoice[0]}.xml");
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(api.StorageRoot, invoice[1])), xml);
            AssertWellFormed(xml);
            var pdf = ReadEntry(zip, $"invoices/issued/{invoice[0]}.pdf");
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(api.StorageRoot, invoice[2])), pdf);
            Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5));
        }

        Assert.Equal(2 * issued.Count, zip.Entries.Count(e => e.FullName.StartsWith("invoices/issued/", StringComparison.Ordinal)));
        var issuedReport = await ReadSheetAsync(zip, "invoices/issued.xlsx");
        Assert.Equal(issued.Select(i => i[0]), issuedReport.Select(r => r[0]));
        Assert.Equal(issued.Select(i => $"invoices/issued/{i[0]}.xml"), issuedReport.Select(r => r[9]));

        // Received invoices: the XML of each as <supplier>-<number>.xml, and their report.
        var received = await RowsAsync("SELECT supplier || '-' || number, xml_file_key FROM receivables.received_invoices WHERE tenant_id = @t ORDER BY supplier, number", tenantId);
        Assert.NotEmpty(received);
        foreach (var invoice in received)
        {
            var xml = ReadEntry(zip, $"invoices/received/{ArchiveEntryNames.Segment(invoice[0] + ".xml")}");
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(api.StorageRoot, invoice[1])), xml);
            AssertWellFormed(xml);
        }

        Assert.Equal(received.Count, zip.Entries.Count(e => e.FullName.StartsWith("invoices/received/", StringComparison.Ordinal)));
        Assert.Equal(received.Count, (await ReadSheetAsync(zip, "invoices/received.xlsx")).Count);
        using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
        var datasets = manifest.RootElement.GetProperty("datasets");
        Assert.Equal(issued.Count, datasets.GetProperty("invoices/issued.xlsx").GetProperty("rows").GetInt64());
        Assert.Equal(received.Count, datasets.GetProperty("invoices/received.xlsx").GetProperty("rows").GetInt64());
    }

    [Fact]
    public async Task Request_WhenTheTenantHasAContactCenter_TheArchiveHoldsItsTraysAndEveryCrmDatasetWithAllTheirRows()
    {
        await using (var scope = api.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CrmDemoSeeder>().SeedAsync(CancellationToken.None);
        }

        using var zip = await BackupZipAsync();

        AssertManifestMatchesEveryEntry(zip);
        var tenantId = await api.ScalarAsync<Guid>("SELECT id FROM identity.tenants WHERE slug = 'demo'");
        var expected = new Dictionary<string, string>
        {
            // The trays, as downloads write them: contacts by their last contact (never-called ones are in crm/contacts.xlsx).
            ["contacts.xlsx"] = "SELECT count(*) FROM crm.contacts WHERE tenant_id = @t AND last_contact_at IS NOT NULL",
            ["agendas.xlsx"] = "SELECT count(*) FROM crm.agendas WHERE tenant_id = @t",
            ["crm/contacts.xlsx"] = "SELECT count(*) FROM crm.contacts WHERE tenant_id = @t",
            ["crm/calls.xlsx"] = "SELECT count(*) FROM crm.call_history WHERE tenant_id = @t",
            ["crm/conversations.xlsx"] = "SELECT count(*) FROM crm.conversations WHERE tenant_id = @t",
            ["crm/bases.xlsx"] = "SELECT count(*) FROM crm.bases WHERE tenant_id = @t",
            ["crm/lots.xlsx"] = "SELECT count(*) FROM crm.lots WHERE tenant_id = @t",
            ["crm/categories.xlsx"] = "SELECT count(*) FROM crm.categories k LEFT JOIN crm.subcategories s ON s.category_id = k.id WHERE k.tenant_id = @t",
            ["crm/entities.xlsx"] = "SELECT count(*) FROM crm.entities WHERE tenant_id = @t",
            ["crm/entity-records.xlsx"] = "SELECT count(*) FROM crm.entity_records WHERE tenant_id = @t",
            ["crm/screens.xlsx"] = "SELECT count(*) FROM crm.screens p LEFT JOIN crm.sub_screens u ON u.screen_id = p.id LEFT JOIN crm.scripts x ON x.sub_screen_id = u.id WHERE p.tenant_id = @t",
        };
        using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
        var datasets = manifest.RootElement.GetProperty("datasets");
        foreach (var (dataset, sql) in expected)
        {
            var rows = await api.ScalarAsync<long>(sql, ("t", tenantId));
            var sheet = await ReadSheetAsync(zip, dataset);
            Assert.True(rows == sheet.Count, $"{dataset}: {sheet.Count} rows in the archive, {rows} in the database");
            Assert.Equal(rows, datasets.GetProperty(dataset).GetProperty("rows").GetInt64());
        }

        Assert.All(["crm/contacts.xlsx", "crm/calls.xlsx", "crm/conversations.xlsx", "crm/entities.xlsx", "crm/screens.xlsx"], dataset =>
            Assert.True(datasets.GetProperty(dataset).GetProperty("rows").GetInt64() > 0, $"{dataset} is empty: the seed gave it nothing to check"));

        // A call names its contact by the id crm/contacts.xlsx lists, with the time in the tenant's zone.
        var call = await RowsAsync("SELECT h.id, h.contact_id FROM crm.call_history h WHERE h.tenant_id = @t ORDER BY h.at, h.id LIMIT 1", tenantId);
        var firstCall = (await ReadSheetAsync(zip, "crm/calls.xlsx"))[0];
        Assert.Equal((call[0][0], call[0][1]), (firstCall[0], firstCall[1]));
        Assert.Contains((await ReadSheetAsync(zip, "crm/contacts.xlsx")), c => c[0] == call[0][1]);
    }

    /// <summary>Requests a backup, waits for its email, downloads its link anonymously and opens the zip.</summary>
    private async Task<ZipArchive> BackupZipAsync()
    {
        var admin = await api.SignInAsync(Admin);
        var before = api.Smtp.Messages.Count;
        var accepted = await (await admin.PostAsync("/api/v1/backups", null)).ReadJsonAsync(HttpStatusCode.Accepted);
        var process = await admin.WaitForProcessAsync(accepted.GetProperty("processId").GetGuid(), TimeSpan.FromMinutes(3));
        Assert.Equal("completed", process.GetProperty("status").GetString());
        var message = await api.Smtp.WaitForMessageAsync(before);
        var bytes = await api.CreateClient().GetByteArrayAsync(SmtpTestServer.LinkIn(message).PathAndQuery);
        return new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
    }

    private static void AssertManifestMatchesEveryEntry(ZipArchive zip)
    {
        using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
        var listed = manifest.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(zip.Entries.Count - 1, listed.Count);
        foreach (var item in listed)
        {
            var content = ReadEntry(zip, item.GetProperty("path").GetString()!);
            Assert.Equal(item.GetProperty("size").GetInt64(), content.Length);
            Assert.Equal(item.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(content)));
        }
    }

    private static void AssertWellFormed(byte[] xml)
    {
        using var reader = XmlReader.Create(new MemoryStream(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        while (reader.Read())
        {
        }
    }

    /// <summary>A dataset's data rows (the header left out).</summary>
    private async Task<List<SpreadsheetRow>> ReadSheetAsync(ZipArchive zip, string path)
    {
        var reader = api.Services.GetRequiredService<ISpreadsheetReader>();
        var rows = new List<SpreadsheetRow>();
        await foreach (var row in reader.ReadRowsAsync(new MemoryStream(ReadEntry(zip, path)), SpreadsheetFormat.Xlsx, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows.Skip(1).ToList();
    }

    private static byte[] ReadEntry(ZipArchive zip, string path)
    {
        var entry = zip.GetEntry(path);
        Assert.True(entry is not null, $"{path} is not in the archive");
        using var buffer = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(buffer);
        }

        return buffer.ToArray();
    }

    private Task<List<string[]>> RowsAsync(string sql, Guid tenantId) => api.WithDbAsync(async db =>
    {
        await using var command = new NpgsqlCommand(sql, db);
        command.Parameters.AddWithValue("t", tenantId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i).ToString()!).ToArray());
        }

        return rows;
    });
}
