namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// What reading an xlsx's first worksheet needs from its workbook part: which part that sheet is, where its shared
/// strings and styles are, and the date system. Found as Excel finds them, through the package's relationships.
/// </summary>
internal sealed record XlsxWorkbook(string SheetPart, string? SharedStringsPart, string? StylesPart, bool Date1904)
{
    private static readonly byte[][] RelationshipNamespaces =
    [
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships"u8.ToArray(),
        "http://purl.oclc.org/ooxml/officeDocument/relationships"u8.ToArray(),
    ];

    public static XlsxWorkbook Read(XlsxPackage package)
    {
        // Writers that leave out the package's relationships still put the workbook where Excel does.
        var document = package.Relationships(string.Empty, "officeDocument").FirstOrDefault();
        var workbookPart = document is null ? "xl/workbook.xml" : PartOf(document);
        if (!package.Contains(workbookPart))
        {
            throw XlsxRowReader.NotAWorkbook("it has no workbook part");
        }

        // Worksheets by id, the first of each: a workbook listing many sheets must not cost sheets × relationships.
        var relationships = package.Relationships(workbookPart, "worksheet", "sharedStrings", "styles");
        var worksheets = new Dictionary<string, XlsxRelationship>(StringComparer.Ordinal);
        foreach (var relationship in relationships.Where(r => r.Is("worksheet")))
        {
            worksheets.TryAdd(relationship.Id, relationship);
        }

        var (sheet, date1904) = ReadWorkbookPart(package, workbookPart, worksheets);
        var sharedStrings = relationships.FirstOrDefault(r => r.Is("sharedStrings"));
        var styles = relationships.FirstOrDefault(r => r.Is("styles"));
        return new XlsxWorkbook(
            PartOf(sheet ?? throw XlsxRowReader.NotAWorkbook("it has no worksheet")), sharedStrings is null ? null : PartOf(sharedStrings),
            styles is null ? null : PartOf(styles), date1904);
    }

    /// <summary>For each cell format (the <c>s</c> of a cell), whether its number format shows a date or time.</summary>
    public static bool[] ReadDateStyles(XlsxPackage package, string stylesPart)
    {
        if (!package.Contains(stylesPart))
        {
            throw XlsxRowReader.NotAWorkbook("it refers to parts that are missing");
        }

        var customCodes = new Dictionary<uint, string>();
        var cellFormats = new List<uint?>();
        var inCellFormats = false;
        var inNumberFormats = false;
        using var reader = package.OpenPart(stylesPart, XlsxPartLimit.Styles(package.Limits));
        while (reader.Read())
        {
            if (reader.Depth == 1 && reader.Token is XlsxPartToken.StartElement or XlsxPartToken.EndElement)
            {
                var opens = reader.Token == XlsxPartToken.StartElement && !reader.IsEmptyElement && reader.IsMain;
                inCellFormats = opens && reader.LocalName.SequenceEqual("cellXfs"u8);
                inNumberFormats = opens && reader.LocalName.SequenceEqual("numFmts"u8);
                continue;
            }

            if (reader.Token != XlsxPartToken.StartElement || reader.Depth != 2 || !reader.IsMain)
            {
                continue;
            }

            if (inCellFormats && reader.LocalName.SequenceEqual("xf"u8))
            {
                cellFormats.Add(reader.TryGetAttribute("numFmtId"u8, out var id) ? ParseUnsigned(id) : null);
            }
            else if (inNumberFormats && reader.LocalName.SequenceEqual("numFmt"u8)
                && reader.TryGetAttribute("numFmtId"u8, out var id) && ParseUnsigned(id) is var formatId
                && reader.TryGetAttribute("formatCode"u8, out var code))
            {
                customCodes[formatId] = XlsxPartReader.ToText(code);
            }
        }

        return cellFormats.Select(id => id is { } formatId && XlsxNumberFormats.IsDateOrTime(formatId, customCodes.GetValueOrDefault(formatId))).ToArray();
    }

    /// <summary>The first sheet of the workbook's list that is a worksheet (chart sheets come in the same list), and the date system.</summary>
    private static (XlsxRelationship? Sheet, bool Date1904) ReadWorkbookPart(
        XlsxPackage package, string workbookPart, Dictionary<string, XlsxRelationship> worksheets)
    {
        XlsxRelationship? sheet = null;
        var date1904 = false;
        var inSheets = false;
        using var reader = package.OpenPart(workbookPart, XlsxPartLimit.Workbook(package.Limits));
        while (reader.Read())
        {
            if (reader.Depth == 1 && reader.Token is XlsxPartToken.StartElement or XlsxPartToken.EndElement)
            {
                if (reader.Token == XlsxPartToken.StartElement && reader.IsMain && reader.LocalName.SequenceEqual("workbookPr"u8))
                {
                    date1904 = reader.TryGetAttribute("date1904"u8, out var value) && ParseBoolean(value);
                }

                inSheets = reader.Token == XlsxPartToken.StartElement && !reader.IsEmptyElement && reader.IsMain && reader.LocalName.SequenceEqual("sheets"u8);
                continue;
            }

            if (sheet is null && inSheets && reader.Token == XlsxPartToken.StartElement && reader.Depth == 2 && reader.IsMain
                && reader.LocalName.SequenceEqual("sheet"u8))
            {
                foreach (var uri in RelationshipNamespaces)
                {
                    if (reader.TryGetAttribute(uri, "id"u8, out var id))
                    {
                        worksheets.TryGetValue(XlsxPartReader.ToText(id), out sheet);
                        break;
                    }
                }
            }
        }

        return (sheet, date1904);
    }

    private static string PartOf(XlsxRelationship relationship) =>
        relationship.PartName ?? throw XlsxRowReader.NotAWorkbook(relationship.Target.Trim().Length == 0
            ? "it refers to parts that are missing"
            : $"it refers to a part outside the workbook ('{XlsxPartReader.Printable(relationship.Target)}')");

    /// <summary>An xsd:unsignedInt (surrounding blanks allowed); a FormatException otherwise, as the file's fault.</summary>
    private static uint ParseUnsigned(ReadOnlySpan<byte> text)
    {
        var trimmed = text.Trim(" \t\r\n"u8);
        ulong value = 0;
        foreach (var digit in trimmed)
        {
            if (digit is < (byte)'0' or > (byte)'9' || (value = (value * 10) + (uint)(digit - '0')) > uint.MaxValue)
            {
                throw new FormatException($"'{XlsxPartReader.Printable(text)}' is not a number.");
            }
        }

        return trimmed.IsEmpty ? throw new FormatException("A number is empty.") : (uint)value;
    }

    /// <summary>An xsd:boolean.</summary>
    private static bool ParseBoolean(ReadOnlySpan<byte> text) => text.Trim(" \t\r\n"u8) switch
    {
        [(byte)'1'] => true,
        [(byte)'0'] => false,
        var t when t.SequenceEqual("true"u8) => true,
        var t when t.SequenceEqual("false"u8) => false,
        _ => throw new FormatException("A true/false value is neither."),
    };
}
