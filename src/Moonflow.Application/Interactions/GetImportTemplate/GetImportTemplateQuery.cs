using MediatR;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Interactions.ImportInteractions;
using Moonflow.Application.Processes.DownloadProcessFile;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Interactions.GetImportTemplate;

/// <summary>The bulk communications template: headers in Spanish (default) or English, drop-downs, and a sheet explaining each column.</summary>
[RequiresPermission(Permissions.InteractionsImport)]
public sealed record GetImportTemplateQuery(bool English) : IRequest<FileDownload>;

public sealed class GetImportTemplateQueryHandler(IImportTemplateWriter writer) : IRequestHandler<GetImportTemplateQuery, FileDownload>
{
    public Task<FileDownload> Handle(GetImportTemplateQuery request, CancellationToken cancellationToken)
    {
        var content = new MemoryStream();
        writer.Write(content, InteractionImportColumns.All, request.English);
        content.Position = 0;
        var name = request.English ? "bulk-communications-template.xlsx" : "plantilla-comunicaciones-masivas.xlsx";
        return Task.FromResult(new FileDownload(content, name, ContentTypes.Xlsx, content.Length));
    }
}

/// <summary>Writes an import template workbook (small: formatting and drop-downs matter more than streaming).</summary>
public interface IImportTemplateWriter
{
    void Write(Stream output, IReadOnlyList<ImportColumn> columns, bool english);
}
