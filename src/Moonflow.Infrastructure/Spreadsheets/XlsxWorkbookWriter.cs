using System.IO.Packaging;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using Moonflow.Application.Common.Spreadsheets;

namespace Moonflow.Infrastructure.Spreadsheets;

/// <summary>
/// Streams a workbook: each sheet's XML goes through OpenXmlWriter straight into its zip entry as rows arrive.
/// <para>
/// The package is opened write-only on purpose. SpreadsheetDocument.Create opens it read-write, and then .NET's zip
/// keeps every entry uncompressed in memory until the package closes (measured: 630 MB at 300,000 rows of 12 cells,
/// growing with every row); write-only, each part is deflated into the output as it is written, so memory stays flat
/// and the output need not even seek. The price is that parts are written once, one at a time, in order: styles, the
/// sheets, then the workbook that lists them.
/// </para>
/// </summary>
internal static class XlsxWorkbookWriter
{
    private const string RelationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    public static async Task<long> WriteAsync(
        Stream output,
        string sheetName,
        IReadOnlyList<SpreadsheetColumn> columns,
        IAsyncEnumerable<object?[]> rows,
        int maxDataRowsPerSheet,
        CancellationToken cancellationToken)
    {
        using var package = Package.Open(output, FileMode.Create, FileAccess.Write);
        var styles = WriteStyles(package);
        var baseName = SheetNames.Clean(sheetName);
        var sheets = new List<(string Name, Uri Uri)>();
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
                    sheet.Complete();
                    sheet.Dispose();
                    sheet = null;
                }

                sheet ??= StartSheet(package, columns, sheets, baseName);

                sheet.WriteRow(row);
                written++;
            }

            // No rows still gives a workbook with its header row.
            sheet ??= StartSheet(package, columns, sheets, baseName);
            sheet.Complete();
        }
        finally
        {
            sheet?.Dispose();
        }

        WriteWorkbook(package, styles, sheets);
        return written;
    }

    private static XlsxSheetWriter StartSheet(Package package, IReadOnlyList<SpreadsheetColumn> columns, List<(string Name, Uri Uri)> sheets, string baseName)
    {
        var number = sheets.Count + 1;
        var uri = new Uri($"/xl/worksheets/sheet{number}.xml", UriKind.Relative);
        var part = package.CreatePart(uri, "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml", CompressionOption.Normal);
        sheets.Add((SheetNames.Numbered(baseName, number), uri));
        return new XlsxSheetWriter(part.GetStream(FileMode.Create, FileAccess.Write), columns, selected: number == 1);
    }

    private static Uri WriteStyles(Package package)
    {
        var uri = new Uri("/xl/styles.xml", UriKind.Relative);
        var part = package.CreatePart(uri, "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml", CompressionOption.Normal);
        using var stream = part.GetStream(FileMode.Create, FileAccess.Write);
        using var writer = OpenXmlWriter.Create(stream);
        writer.WriteElement(XlsxStyles.Stylesheet());
        return uri;
    }

    private static void WriteWorkbook(Package package, Uri styles, List<(string Name, Uri Uri)> sheets)
    {
        var uri = new Uri("/xl/workbook.xml", UriKind.Relative);
        var part = package.CreatePart(uri, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", CompressionOption.Normal);
        var sheetList = new Sheets();
        for (var i = 0; i < sheets.Count; i++)
        {
            var id = $"rId{i + 1}";
            part.CreateRelationship(RelativeToWorkbook(sheets[i].Uri), TargetMode.Internal, $"{RelationshipNamespace}/worksheet", id);
            sheetList.Append(new Sheet { Name = sheets[i].Name, SheetId = (uint)(i + 1), Id = id });
        }

        part.CreateRelationship(RelativeToWorkbook(styles), TargetMode.Internal, $"{RelationshipNamespace}/styles", $"rId{sheets.Count + 1}");
        var workbook = new Workbook(new BookViews(new WorkbookView()), sheetList);
        workbook.AddNamespaceDeclaration("r", RelationshipNamespace);
        using (var stream = part.GetStream(FileMode.Create, FileAccess.Write))
        using (var writer = OpenXmlWriter.Create(stream))
        {
            writer.WriteElement(workbook);
        }

        package.CreateRelationship(uri, TargetMode.Internal, $"{RelationshipNamespace}/officeDocument", "rId1");
    }

    private static Uri RelativeToWorkbook(Uri part) => new(part.OriginalString["/xl/".Length..], UriKind.Relative);
}
