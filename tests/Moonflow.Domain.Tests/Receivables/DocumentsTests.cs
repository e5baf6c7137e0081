using System.Text;
using Moonflow.Domain.Receivables;
using Moonflow.Domain.Tests.Support;

namespace Moonflow.Domain.Tests.Receivables;

public sealed class DocumentsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid TenantId = Guid.Parse("0197a1f0-0000-7000-8000-000000000001");
    private static readonly Guid UserId = Guid.Parse("0197a1f0-0000-7000-8000-000000000002");
    private static readonly string Hash = new('a', 64);

    private static StoredDocument Document(string contentType, string name = "factura.xml") =>
        StoredDocument.Create("documents/2026/12/02/abc.xml", name, contentType, 120, Hash);

    private static PaymentOrder Order(string number = "OP-000123") =>
        PaymentOrder.Create(TenantId, number, Guid.NewGuid(), new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1), 100_000m, "COP", null, new DateOnly(2026, 11, 2), Now);

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\ana\\Desktop\\Cédula.pdf", "Cédula.pdf")]
    [InlineData("recibo de pago #3 (copia).pdf", "recibo de pago _3 _copia_.pdf")]
    [InlineData("aux.txt", "_aux.txt")]
    [InlineData("nul", "_nul")]
    [InlineData("informe.pdf. . .", "informe.pdf")]
    [InlineData(".htaccess", "htaccess")]
    [InlineData("a..b..pdf", "a.b.pdf")]
    [InlineData("***", "documento")]
    [InlineData("", "documento")]
    [InlineData("línea\u0000nula\u001f.pdf", "líneanula.pdf")]
    public void Sanitize_WhenNameIsHostileOrOdd_GivesASafeName(string sent, string expected) =>
        Assert.Equal(expected, DocumentFileName.Sanitize(sent));

    [Fact]
    public void Sanitize_WhenNameIsLongerThan255BytesOfUtf8_ShortensTheStemAndKeepsTheExtension()
    {
        var sent = string.Concat(Enumerable.Repeat("ñandú", 100)) + ".pdf";

        var stored = DocumentFileName.Sanitize(sent);

        Assert.True(Encoding.UTF8.GetByteCount(stored) <= 255, stored);
        Assert.EndsWith(".pdf", stored);
        Assert.StartsWith("ñandú", stored);
    }

    [Fact]
    public void Sanitize_WhenEmojiWouldBeCutInHalf_NeverLeavesALoneSurrogate()
    {
        var stored = DocumentFileName.FitBytes(string.Concat(Enumerable.Repeat("😀", 100)) + ".png", 255);

        Assert.True(Encoding.UTF8.GetByteCount(stored) <= 255);
        Assert.EndsWith(".png", stored);

        // A lone surrogate would not survive a round trip through UTF-8 (it becomes U+FFFD).
        Assert.Equal(stored, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(stored)));
    }

    [Fact]
    public void Create_WhenTheFileIsEmpty_IsRejected() =>
        RuleAssert.Invalid("file", () => StoredDocument.Create("k", "vacio.pdf", "application/pdf", 0, Hash));

    [Fact]
    public void Create_WhenTheHashIsNotSha256Hex_IsRejected() =>
        RuleAssert.Invalid("file", () => StoredDocument.Create("k", "a.pdf", "application/pdf", 10, "ABC"));

    [Fact]
    public void Create_WhenNameHasFolders_KeepsTheLastPartToShowAndASafeStoredName()
    {
        var document = StoredDocument.Create("k", "..\\..\\evil:name.pdf", "application/pdf", 10, Hash);

        Assert.Equal("evil:name.pdf", document.OriginalName);
        Assert.Equal("evil_name.pdf", document.StoredName);
    }

    [Fact]
    public void Issue_WhenNoNumberIsGiven_TakesThePaymentOrdersNumber()
    {
        var invoice = IssuedInvoice.Issue(Order("OP-9"), null, Document(IssuedInvoice.XmlContentType), Document(IssuedInvoice.PdfContentType, "f.pdf"), UserId, Now);

        Assert.Equal("OP-9", invoice.Number);
        Assert.Equal(TenantId, invoice.TenantId);
    }

    [Fact]
    public void Issue_WhenTheFilesAreSwapped_IsRejected()
    {
        RuleAssert.Invalid("xml", () => IssuedInvoice.Issue(Order(), "FE-1", Document(IssuedInvoice.PdfContentType), Document(IssuedInvoice.PdfContentType), UserId, Now));
        RuleAssert.Invalid("pdf", () => IssuedInvoice.Issue(Order(), "FE-1", Document(IssuedInvoice.XmlContentType), Document("image/png"), UserId, Now));
    }

    [Fact]
    public void Replace_WhenACorrectedInvoiceArrives_KeepsTheNumberAndHandsBackTheReplacedFiles()
    {
        var order = Order();
        var xml = Document(IssuedInvoice.XmlContentType);
        var pdf = Document(IssuedInvoice.PdfContentType, "f.pdf");
        var invoice = IssuedInvoice.Issue(order, "FE-77", xml, pdf, UserId, Now);

        var replaced = invoice.Replace(order, null, Document(IssuedInvoice.XmlContentType), Document(IssuedInvoice.PdfContentType), Now.AddHours(1));

        Assert.Equal("FE-77", invoice.Number);
        Assert.Equal([xml, pdf], replaced);
        Assert.Equal(Now.AddHours(1), invoice.UpdatedAt);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Register_WhenAmountIsNotPositive_IsRejected(decimal amount) =>
        RuleAssert.Invalid("amount", () => ReceivedInvoice.Register(TenantId, "Proveedor", "FV-1", new DateOnly(2026, 11, 1), amount, Document(IssuedInvoice.XmlContentType), UserId, Now));

    [Fact]
    public void Register_WhenSupplierIsBlank_IsRejected() =>
        RuleAssert.Invalid("supplier", () => ReceivedInvoice.Register(TenantId, " ", "FV-1", new DateOnly(2026, 11, 1), 10, Document(IssuedInvoice.XmlContentType), UserId, Now));
}
