using MediatR;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Crm.Screens.ImportScreens;
using Moonflow.Application.Processes.DownloadProcessFile;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Screens.GetScreensImportFormat;

/// <summary>The screens import's format workbook: the columns the upload reads, in Spanish (default) or English, with an instructions sheet.</summary>
[RequiresPermission(Permissions.CrmProcesses)]
public sealed record GetScreensImportFormatQuery(bool English) : IRequest<FileDownload>;

public sealed class GetScreensImportFormatQueryHandler(IImportTemplateWriter writer) : IRequestHandler<GetScreensImportFormatQuery, FileDownload>
{
    private static readonly ImportTemplate Template = new(
        ScreenImportColumns.All,
        new Localized("Pantallas", "Screens"),
        new Localized(
            "Cada fila es un script. Las pantallas y sub-pantallas que no existan se crean; un script que ya existe con ese nombre en esa sub-pantalla recibe el texto nuevo. Subir el mismo archivo otra vez no cambia nada. Con dryRun=true se revisa cada fila sin guardar.",
            "Each row is a script. Screens and sub-screens that do not exist are created; a script of that name already in that sub-screen gets the new text. Uploading the same file again changes nothing. With dryRun=true every row is checked and nothing is saved."));

    public Task<FileDownload> Handle(GetScreensImportFormatQuery request, CancellationToken cancellationToken) =>
        Task.FromResult(writer.Download(Template, request.English, new Localized("formato-importacion-pantallas.xlsx", "screens-import-format.xlsx")));
}
