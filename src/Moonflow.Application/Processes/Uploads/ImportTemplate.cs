namespace Moonflow.Application.Processes.Uploads;

/// <summary>
/// An import's downloadable format workbook: a data sheet whose header row is the columns (required ones highlighted,
/// drop-downs for the allowed values), and an instructions sheet describing each column, in Spanish or English.
/// </summary>
/// <param name="Note">A closing paragraph of the instructions: what an upload does.</param>
public sealed record ImportTemplate(IReadOnlyList<ImportColumn> Columns, Localized SheetName, Localized Note);

/// <summary>A text in Spanish (the default) and English.</summary>
public sealed record Localized(string Es, string En)
{
    public string In(bool english) => english ? En : Es;
}

/// <summary>Writes an import template workbook (small: formatting and drop-downs matter more than streaming).</summary>
public interface IImportTemplateWriter
{
    void Write(Stream output, ImportTemplate template, bool english);
}

public static class ImportTemplateWriterExtensions
{
    /// <summary>The format workbook as a download named <paramref name="fileName"/> in the language asked for.</summary>
    public static DownloadProcessFile.FileDownload Download(this IImportTemplateWriter writer, ImportTemplate template, bool english, Localized fileName)
    {
        var content = new MemoryStream();
        writer.Write(content, template, english);
        content.Position = 0;
        return new DownloadProcessFile.FileDownload(content, fileName.In(english), Common.Files.ContentTypes.Xlsx, content.Length);
    }
}
