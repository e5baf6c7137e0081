using System.Xml;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Common;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Documents;

/// <summary>What a document is, told by its first bytes (and, for XML, by reading it whole).</summary>
public enum DocumentKind
{
    Xml,
    Pdf,
    Png,
    Jpeg,

    /// <summary>Anything else a client's file may hold (an office document, a text…): kept as sent, downloaded as an attachment.</summary>
    Other,
}

/// <summary>
/// Checks an uploaded document by its content, never by its name: PDF by <c>%PDF-</c>, PNG and JPEG by their signatures,
/// XML by reading it whole with DTDs prohibited (so no entity can expand or reach out) and nesting held to
/// <see cref="MaxXmlDepth"/>. A name or declared type that claims one of these kinds while the content is another is
/// refused (415 <c>content_type_mismatch</c>): a PNG named <c>.pdf</c> is not kept as a PDF.
/// </summary>
public sealed class DocumentInspector(IFileStorage files)
{
    public const int MaxXmlDepth = 256;

    private const string OctetStream = "application/octet-stream";

    private static readonly byte[] PdfMagic = "%PDF-"u8.ToArray();
    private static readonly byte[] PngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] JpegMagic = [0xFF, 0xD8, 0xFF];

    public static string ContentTypeOf(DocumentKind kind) => kind switch
    {
        DocumentKind.Xml => IssuedInvoice.XmlContentType,
        DocumentKind.Pdf => IssuedInvoice.PdfContentType,
        DocumentKind.Png => "image/png",
        DocumentKind.Jpeg => "image/jpeg",
        _ => OctetStream,
    };

    /// <summary>Requires the field's file to be of <paramref name="expected"/>; returns it as a document to keep.</summary>
    public async Task<StoredDocument> RequireAsync(ReceivedFormFile file, string field, DocumentKind expected, CancellationToken cancellationToken)
    {
        var kind = await InspectAsync(file, field, cancellationToken);
        if (kind != expected)
        {
            throw new UnsupportedFileException(
                $"The file '{DocumentFileName.Display(file.FileName)}' in '{field}' is not {Describe(expected)} (checked by its content: {Describe(kind)}).");
        }

        return Document(file, ContentTypeOf(kind));
    }

    /// <summary>Any document a client's file may hold; its kind comes from the content, its name and declared type must agree with it.</summary>
    public async Task<StoredDocument> AcceptAnyAsync(ReceivedFormFile file, string field, CancellationToken cancellationToken)
    {
        var kind = await InspectAsync(file, field, cancellationToken);
        return Document(file, kind == DocumentKind.Other ? OtherContentType(file) : ContentTypeOf(kind));
    }

    private static StoredDocument Document(ReceivedFormFile file, string contentType) =>
        StoredDocument.Create(file.File.Key, file.FileName, contentType, file.File.SizeBytes, file.Sha256);

    private async Task<DocumentKind> InspectAsync(ReceivedFormFile file, string field, CancellationToken cancellationToken)
    {
        if (file.File.SizeBytes == 0)
        {
            throw new DomainValidationException(field, $"The file '{DocumentFileName.Display(file.FileName)}' is empty.");
        }

        var kind = await SniffAsync(file.File.Key, cancellationToken);
        if (kind == DocumentKind.Xml)
        {
            await CheckXmlAsync(file, cancellationToken);
        }

        var claimed = Claimed(file);
        if (claimed.Count > 0 && !claimed.Contains(kind))
        {
            throw new UnsupportedFileException(
                $"The file '{DocumentFileName.Display(file.FileName)}' is sent as {string.Join(" and ", claimed.Select(Describe).Distinct())} but its content is {Describe(kind)}.",
                "content_type_mismatch");
        }

        return kind;
    }

    private async Task<DocumentKind> SniffAsync(string key, CancellationToken cancellationToken)
    {
        var head = new byte[64];
        int read;
        await using (var content = await files.OpenReadAsync(key, cancellationToken))
        {
            read = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }

        var bytes = head.AsSpan(0, read);
        if (bytes.StartsWith(PdfMagic))
        {
            return DocumentKind.Pdf;
        }

        if (bytes.StartsWith(PngMagic))
        {
            return DocumentKind.Png;
        }

        if (bytes.StartsWith(JpegMagic))
        {
            return DocumentKind.Jpeg;
        }

        // XML: an optional UTF-8 byte order mark, optional white space, then markup.
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        var start = bytes.IndexOfAnyExcept((ReadOnlySpan<byte>)" \t\r\n"u8);
        return start >= 0 && bytes[start] == (byte)'<' ? DocumentKind.Xml : DocumentKind.Other;
    }

    private async Task CheckXmlAsync(ReceivedFormFile file, CancellationToken cancellationToken)
    {
        var settings = new XmlReaderSettings
        {
            Async = true,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 0,
            CloseInput = true,
        };
        try
        {
            using var reader = XmlReader.Create(await files.OpenReadAsync(file.File.Key, cancellationToken), settings);
            while (await reader.ReadAsync())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (reader.Depth > MaxXmlDepth)
                {
                    throw new UnprocessableFileException("malformed_xml", $"The XML '{DocumentFileName.Display(file.FileName)}' is nested more than {MaxXmlDepth} levels deep.");
                }
            }
        }
        catch (XmlException ex)
        {
            var reason = ex.Message.Contains("DTD", StringComparison.Ordinal)
                ? "it declares a DTD; documents with DTDs or entities are not accepted"
                : $"it is not well-formed (line {ex.LineNumber}, position {ex.LinePosition}: {ex.Message})";
            throw new UnprocessableFileException("malformed_xml", $"The XML '{DocumentFileName.Display(file.FileName)}' could not be accepted: {reason}.");
        }
    }

    /// <summary>The kinds the file's name and declared content type claim (none when they claim nothing specific).</summary>
    private static HashSet<DocumentKind> Claimed(ReceivedFormFile file)
    {
        var claimed = new HashSet<DocumentKind>();
        var byName = DocumentFileName.ExtensionOf(DocumentFileName.Display(file.FileName)).ToLowerInvariant() switch
        {
            ".pdf" => DocumentKind.Pdf,
            ".png" => DocumentKind.Png,
            ".jpg" or ".jpeg" or ".jpe" => DocumentKind.Jpeg,
            ".xml" => DocumentKind.Xml,
            _ => (DocumentKind?)null,
        };
        if (byName is { } name)
        {
            claimed.Add(name);
        }

        var byType = MediaType(file.DeclaredContentType) switch
        {
            "application/pdf" => DocumentKind.Pdf,
            "image/png" => DocumentKind.Png,
            "image/jpeg" or "image/jpg" or "image/pjpeg" => DocumentKind.Jpeg,
            "application/xml" or "text/xml" => DocumentKind.Xml,
            _ => (DocumentKind?)null,
        };
        if (byType is { } type)
        {
            claimed.Add(type);
        }

        return claimed;
    }

    /// <summary>An "other" document keeps a plain declared type (e.g. a Word document's); anything unusual is an octet stream.</summary>
    private static string OtherContentType(ReceivedFormFile file) =>
        MediaType(file.DeclaredContentType) is { } type && type.Length <= 100 && type.Count(c => c == '/') == 1
            && type.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '+')
            && !type.StartsWith("text/html", StringComparison.Ordinal) && !type.Contains("javascript", StringComparison.Ordinal)
                ? type
                : OctetStream;

    private static string? MediaType(string? declared) =>
        string.IsNullOrWhiteSpace(declared) ? null : declared.Split(';')[0].Trim().ToLowerInvariant();

    private static string Describe(DocumentKind kind) => kind switch
    {
        DocumentKind.Xml => "an XML document",
        DocumentKind.Pdf => "a PDF",
        DocumentKind.Png => "a PNG image",
        DocumentKind.Jpeg => "a JPEG image",
        _ => "a document of another kind",
    };
}
