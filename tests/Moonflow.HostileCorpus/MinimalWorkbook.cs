using System.IO.Compression;
using System.Text;

namespace Moonflow.HostileCorpus;

/// <summary>
/// Writes the smallest package Excel and the reader accept, part by part, each part's content streamed by a writer,
/// so that a part of a gigabyte never exists in memory. Parts left null are left out of the package.
/// </summary>
public sealed class MinimalWorkbook
{
    public const string MainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    public const string RelationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private const string ContentTypes =
        """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>""";

    private const string PackageRelationships =
        """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""";

    public const string DefaultWorkbook =
        $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MainNamespace}" xmlns:r="{RelationshipsNamespace}"><sheets><sheet name="Comunicaciones" sheetId="1" r:id="rId1"/></sheets></workbook>""";

    public const string DefaultStyles =
        $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{MainNamespace}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>""";

    /// <summary>The worksheet part, streamed; it starts with the XML declaration and the worksheet element itself.</summary>
    public required Action<Stream> Sheet { get; init; }

    public Action<Stream>? SharedStrings { get; init; }

    public Action<Stream> Workbook { get; init; } = Text(DefaultWorkbook);

    public Action<Stream>? Styles { get; init; } = Text(DefaultStyles);

    /// <summary>The workbook part's relationships; by default the sheet, and the styles and shared strings where given.</summary>
    public Action<Stream>? WorkbookRelationships { get; init; }

    /// <summary>More entries, by name, as they are (zip-slip names included).</summary>
    public IReadOnlyList<(string Name, byte[] Content)> ExtraEntries { get; init; } = [];

    public CompressionLevel Compression { get; init; } = CompressionLevel.Optimal;

    /// <summary>A part that is always the same text.</summary>
    public static Action<Stream> Text(string content) => stream => stream.Write(Encoding.UTF8.GetBytes(content));

    /// <summary>The header row of the bulk communications upload (its required columns, in Spanish), as inline strings.</summary>
    public static string HeaderRow() =>
        "<row r=\"1\">" + string.Concat(HostileUploads.RequiredHeaders.Select((header, i) =>
            $"<c r=\"{(char)('A' + i)}1\" t=\"inlineStr\"><is><t>{header}</t></is></c>")) + "</row>";

    public void WriteTo(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        Entry(zip, "[Content_Types].xml", Text(ContentTypes));
        Entry(zip, "_rels/.rels", Text(PackageRelationships));
        Entry(zip, "xl/workbook.xml", Workbook);
        var relationships = new StringBuilder(
            $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{RelationshipsNamespace}/worksheet" Target="worksheets/sheet1.xml"/>""");
        if (Styles is not null)
        {
            relationships.Append($"""<Relationship Id="rId2" Type="{RelationshipsNamespace}/styles" Target="styles.xml"/>""");
        }

        if (SharedStrings is not null)
        {
            relationships.Append($"""<Relationship Id="rId3" Type="{RelationshipsNamespace}/sharedStrings" Target="sharedStrings.xml"/>""");
        }

        Entry(zip, "xl/_rels/workbook.xml.rels", WorkbookRelationships ?? Text(relationships.Append("</Relationships>").ToString()));
        if (Styles is not null)
        {
            Entry(zip, "xl/styles.xml", Styles);
        }

        if (SharedStrings is not null)
        {
            Entry(zip, "xl/sharedStrings.xml", SharedStrings);
        }

        Entry(zip, "xl/worksheets/sheet1.xml", Sheet);
        foreach (var (name, content) in ExtraEntries)
        {
            using var entry = zip.CreateEntry(name, Compression).Open();
            entry.Write(content);
        }
    }

    private void Entry(ZipArchive zip, string name, Action<Stream> write)
    {
        using var entry = zip.CreateEntry(name, Compression).Open();
        using var buffered = new BufferedStream(entry, 1 << 16);
        write(buffered);
    }
}
