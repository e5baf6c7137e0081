using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// Streams a workbook: a zip archive in create mode, each sheet's XML deflated into its entry as rows arrive.
/// <para>
/// Create mode keeps nothing of an entry once it is closed, so memory stays flat in row count and the output need not
/// even seek (entries then carry their sizes after their data). The price is that parts are written once, one at a
/// time, in order: styles, the sheets, then the workbook that lists them, its relationships and the content types.
/// </para>
/// <para>
/// Entries are deflated at <see cref="CompressionLevel.Fastest"/>: a sheet is hundreds of megabytes of repetitive
/// markup, and the default level spent most of the export's time squeezing it a little smaller (see
/// build/bench-spreadsheets).
/// </para>
/// </summary>
internal static class XlsxWorkbookWriter
{
    private const string RelationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string XmlDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
    private const CompressionLevel Compression = CompressionLevel.Fastest;

    public static async Task<long> WriteAsync(
        Stream output,
        string sheetName,
        IReadOnlyList<SpreadsheetColumn> columns,
        IAsyncEnumerable<object?[]> rows,
        int maxDataRowsPerSheet,
        CancellationToken cancellationToken)
    {
        await using var archive = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        await WriteEntryAsync(archive, "xl/styles.xml", Serialize(XlsxStyles.Stylesheet()), cancellationToken);

        var baseName = SheetNames.Clean(sheetName);
        var sheetNames = new List<string>();
        XlsxSheetWriter? sheet = null;
        long written = 0;
        try
        {
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                // Sources that ignore the token still stop here.
                cancellationToken.ThrowIfCancellationRequested();
                if (sheet?.DataRows == maxDataRowsPerSheet)
                {
                    await sheet.CompleteAsync(cancellationToken);
                    await sheet.DisposeAsync();
                    sheet = null;
                }

                sheet ??= await StartSheetAsync(archive, columns, sheetNames, baseName, cancellationToken);

                await sheet.WriteRowAsync(row, cancellationToken);
                written++;
            }

            // No rows still gives a workbook with its header row.
            sheet ??= await StartSheetAsync(archive, columns, sheetNames, baseName, cancellationToken);
            await sheet.CompleteAsync(cancellationToken);
        }
        finally
        {
            if (sheet is not null)
            {
                await sheet.DisposeAsync();
            }
        }

        await WriteEntryAsync(archive, "xl/workbook.xml", Serialize(WorkbookListing(sheetNames)), cancellationToken);
        await WriteEntryAsync(archive, "xl/_rels/workbook.xml.rels", WorkbookRelationships(sheetNames.Count), cancellationToken);
        await WriteEntryAsync(archive, "_rels/.rels", PackageRelationships(), cancellationToken);
        await WriteEntryAsync(archive, "[Content_Types].xml", ContentTypes(sheetNames.Count), cancellationToken);
        return written;
    }

    private static async Task<XlsxSheetWriter> StartSheetAsync(
        ZipArchive archive, IReadOnlyList<SpreadsheetColumn> columns, List<string> sheetNames, string baseName, CancellationToken cancellationToken)
    {
        var number = sheetNames.Count + 1;
        var entry = archive.CreateEntry(SheetPath(number), Compression);
        sheetNames.Add(SheetNames.Numbered(baseName, number));
        return await XlsxSheetWriter.StartAsync(await entry.OpenAsync(cancellationToken), columns, selected: number == 1, cancellationToken);
    }

    private static string SheetPath(int number) => $"xl/worksheets/sheet{number}.xml";

    private static async Task WriteEntryAsync(ZipArchive archive, string path, string xml, CancellationToken cancellationToken)
    {
        var entry = archive.CreateEntry(path, Compression);
        await using var stream = await entry.OpenAsync(cancellationToken);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(xml), cancellationToken);
    }

    /// <summary>A small part from the SDK's typed elements, which know their schema and escape sheet names.</summary>
    private static string Serialize(OpenXmlElement element) => XmlDeclaration + element.OuterXml;

    private static Workbook WorkbookListing(List<string> sheetNames)
    {
        var sheets = new Sheets(sheetNames.Select((name, i) => new Sheet { Name = name, SheetId = (uint)(i + 1), Id = $"rId{i + 1}" }));
        var workbook = new Workbook(new BookViews(new WorkbookView()), sheets);
        workbook.AddNamespaceDeclaration("r", RelationshipNamespace);
        return workbook;
    }

    /// <summary>rId1…rIdN are the sheets, in order; the styles come after them.</summary>
    private static string WorkbookRelationships(int sheetCount)
    {
        var xml = new StringBuilder(XmlDeclaration).Append("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
        for (var number = 1; number <= sheetCount; number++)
        {
            xml.Append($"<Relationship Id=\"rId{number}\" Type=\"{RelationshipNamespace}/worksheet\" Target=\"worksheets/sheet{number}.xml\"/>");
        }

        return xml.Append($"<Relationship Id=\"rId{sheetCount + 1}\" Type=\"{RelationshipNamespace}/styles\" Target=\"styles.xml\"/>")
            .Append("</Relationships>").ToString();
    }

    private static string PackageRelationships() =>
        XmlDeclaration
        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + $"<Relationship Id=\"rId1\" Type=\"{RelationshipNamespace}/officeDocument\" Target=\"xl/workbook.xml\"/>"
        + "</Relationships>";

    private static string ContentTypes(int sheetCount)
    {
        var xml = new StringBuilder(XmlDeclaration)
            .Append("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">")
            .Append("<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>")
            .Append("<Default Extension=\"xml\" ContentType=\"application/xml\"/>")
            .Append("<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>")
            .Append("<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>");
        for (var number = 1; number <= sheetCount; number++)
        {
            xml.Append($"<Override PartName=\"/{SheetPath(number)}\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>");
        }

        return xml.Append("</Types>").ToString();
    }
}
