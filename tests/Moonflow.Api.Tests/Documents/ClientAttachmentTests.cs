using System.Net;
using Moonflow.Api.Tests.Support;
using static Moonflow.Api.Tests.Documents.Documents;

namespace Moonflow.Api.Tests.Documents;

[Collection(ApiCollection.Name)]
public sealed class ClientAttachmentTests(MoonflowApiFactory api)
{
    [Theory]
    [InlineData("Cédula escaneada.pdf", "application/pdf", "application/pdf")]
    [InlineData("foto recibo.PNG", "image/png", "image/png")]
    [InlineData("firma.jpg", "image/jpeg", "image/jpeg")]
    [InlineData("acuerdo de pago.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    public async Task AddClientAttachment_WhenADocumentIsSent_KeepsItAndItDownloadsByteForByteUnderItsName(string name, string sentAs, string keptAs)
    {
        var agent = await api.SignInAsync("agent@demo.test");
        var clientId = (await TestClients.InsertAsync(api, "demo", 1, TestClients.UniqueTag("att")))[0];
        var bytes = keptAs switch
        {
            "application/pdf" => Pdf(name),
            "image/png" => Png,
            "image/jpeg" => Jpeg,
            _ => "PK\u0003\u0004 a word document, more or less"u8.ToArray(),
        };

        var response = await agent.PostAsync($"/api/v1/clients/{clientId}/attachments", Attachment(bytes, name, sentAs));

        var attachment = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/clients/{clientId}/attachments/{attachment.GetProperty("id").GetGuid()}", response.Headers.Location?.ToString());
        Assert.Equal(name, attachment.GetProperty("fileName").GetString());
        Assert.Equal(keptAs, attachment.GetProperty("contentType").GetString());
        Assert.Equal(Sha256(bytes), attachment.GetProperty("sha256").GetString());
        var viewer = await api.SignInAsync("viewer@demo.test");
        var download = await viewer.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(keptAs, download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(name, download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        var listed = await (await viewer.GetAsync($"/api/v1/clients/{clientId}/attachments")).ReadJsonAsync();
        Assert.Equal(attachment.GetProperty("id").GetGuid(), listed.GetProperty("items")[0].GetProperty("id").GetGuid());
    }

    [Theory]
    [InlineData("../../../etc/cron.d/evil.pdf", "evil.pdf")]
    [InlineData("..\\..\\Windows\\system.ini.pdf", "system.ini.pdf")]
    [InlineData("fac<tura>:2026?*|.pdf", "fac_tura__2026___.pdf")]
    [InlineData("CON.pdf", "_CON.pdf")]
    [InlineData("...pdf", "pdf")]
    public async Task AddClientAttachment_WhenTheNameIsHostile_KeepsASafeStoredNameWithoutFolders(string sent, string stored)
    {
        var agent = await api.SignInAsync("agent@demo.test");
        var clientId = (await TestClients.InsertAsync(api, "demo", 1, TestClients.UniqueTag("att")))[0];

        var attachment = await (await agent.PostAsync($"/api/v1/clients/{clientId}/attachments", Attachment(Pdf(), sent, "application/pdf")))
            .ReadJsonAsync(HttpStatusCode.Created);

        var storedName = attachment.GetProperty("storedName").GetString()!;
        Assert.Equal(stored, storedName);
        Assert.DoesNotContain("/", storedName);
        Assert.DoesNotContain("\\", storedName);
        Assert.DoesNotContain("/", attachment.GetProperty("fileName").GetString());
        Assert.All(Directory.EnumerateFiles(api.StorageRoot, "*", SearchOption.AllDirectories), path => Assert.StartsWith(api.StorageRoot, Path.GetFullPath(path)));
    }

    [Fact]
    public async Task AddClientAttachment_WhenAPngIsNamedPdf_Returns415ContentTypeMismatchAndKeepsNoFile()
    {
        var agent = await api.SignInAsync("agent@demo.test");
        var clientId = (await TestClients.InsertAsync(api, "demo", 1, TestClients.UniqueTag("att")))[0];
        var filesBefore = StoredDocumentFiles(api);

        var byName = await agent.PostAsync($"/api/v1/clients/{clientId}/attachments", Attachment(Png, "contrato.pdf"));
        var byType = await agent.PostAsync($"/api/v1/clients/{clientId}/attachments", Attachment(Png, "contrato", "application/pdf"));
        var fakePdf = await agent.PostAsync($"/api/v1/clients/{clientId}/attachments", Attachment("<html><script>alert(1)</script></html>"u8.ToArray(), "contrato.pdf", "application/pdf"));

        await byName.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "content_type_mismatch");
        await byType.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "content_type_mismatch");
        await fakePdf.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "content_type_mismatch");
        Assert.Equal(filesBefore, StoredDocumentFiles(api));
        var listed = await (await agent.GetAsync($"/api/v1/clients/{clientId}/attachments")).ReadJsonAsync();
        Assert.Equal(0, listed.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task AddClientAttachment_WhenAnXmlCarriesADtd_Returns422MalformedXml()
    {
        var agent = await api.SignInAsync("agent@demo.test");
        var clientId = (await TestClients.InsertAsync(api, "demo", 1, TestClients.UniqueTag("att")))[0];

        var response = await agent.PostAsync($"/api/v1/clients/{clientId}/attachments", Attachment(XmlWithDtd, "datos.xml", "application/xml"));

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "malformed_xml");
    }

    [Fact]
    public async Task AddClientAttachment_WhenOverTheLimitOrEmpty_Returns413Or400AndKeepsNoFile()
    {
        var agent = await api.SignInAsync("agent@demo.test");
        var clientId = (await TestClients.InsertAsync(api, "demo", 1, TestClients.UniqueTag("att")))[0];
        var filesBefore = StoredDocumentFiles(api);

        var big = await agent.PostAsync($"/api/v1/clients/{clientId}/attachments", Attachment(new byte[MoonflowApiFactory.MaxUploadBytes + 1], "grande.bin"));
        var empty = await agent.PostAsync($"/api/v1/clients/{clientId}/attachments", Attachment([], "vacio.pdf"));
        var noFile = await agent.PostAsync($"/api/v1/clients/{clientId}/attachments", new MultipartFormDataContent { { new StringContent("x"), "note" } });

        await big.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "file_too_large");
        await empty.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await noFile.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(filesBefore, StoredDocumentFiles(api));
    }

    [Fact]
    public async Task DeleteClientAttachment_WhenDeleted_IsGoneFromTheListTheDownloadAndTheStore()
    {
        var agent = await api.SignInAsync("agent@demo.test");
        var clientId = (await TestClients.InsertAsync(api, "demo", 1, TestClients.UniqueTag("att")))[0];
        var response = await agent.PostAsync($"/api/v1/clients/{clientId}/attachments", Attachment(Pdf(), "recibo.pdf"));
        await response.ReadJsonAsync(HttpStatusCode.Created);
        var filesBefore = StoredDocumentFiles(api);

        var deleted = await agent.DeleteAsync(response.Headers.Location);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await agent.GetAsync(response.Headers.Location)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await agent.DeleteAsync(response.Headers.Location)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(filesBefore - 1, StoredDocumentFiles(api));
        var listed = await (await agent.GetAsync($"/api/v1/clients/{clientId}/attachments")).ReadJsonAsync();
        Assert.Equal(0, listed.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task ClientAttachments_WhenCallerIsAViewer_MayReadButNotWrite()
    {
        var agent = await api.SignInAsync("agent@demo.test");
        var clientId = (await TestClients.InsertAsync(api, "demo", 1, TestClients.UniqueTag("att")))[0];
        var response = await agent.PostAsync($"/api/v1/clients/{clientId}/attachments", Attachment(Pdf(), "recibo.pdf"));
        await response.ReadJsonAsync(HttpStatusCode.Created);
        var viewer = await api.SignInAsync("viewer@demo.test");
        var filesBefore = StoredDocumentFiles(api);

        await (await viewer.PostAsync($"/api/v1/clients/{clientId}/attachments", Attachment(Pdf(), "otro.pdf"))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.DeleteAsync(response.Headers.Location)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(filesBefore, StoredDocumentFiles(api));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(response.Headers.Location)).StatusCode);
    }

    [Fact]
    public async Task ClientAttachments_WhenTheClientIsAnotherTenants_Returns404Everywhere()
    {
        var agent = await api.SignInAsync("agent@demo.test");
        var clientId = (await TestClients.InsertAsync(api, "demo", 1, TestClients.UniqueTag("att")))[0];
        var response = await agent.PostAsync($"/api/v1/clients/{clientId}/attachments", Attachment(Pdf(), "recibo.pdf"));
        await response.ReadJsonAsync(HttpStatusCode.Created);
        var acme = await api.SignInAsync("admin@acme.test", "acme");
        var filesBefore = StoredDocumentFiles(api);

        await (await acme.GetAsync($"/api/v1/clients/{clientId}/attachments")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.GetAsync(response.Headers.Location)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.DeleteAsync(response.Headers.Location)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await acme.PostAsync($"/api/v1/clients/{clientId}/attachments", Attachment(Pdf(), "x.pdf"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");

        Assert.Equal(filesBefore, StoredDocumentFiles(api));
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync(response.Headers.Location)).StatusCode);
    }
}
