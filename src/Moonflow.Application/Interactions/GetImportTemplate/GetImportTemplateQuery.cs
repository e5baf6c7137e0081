using MediatR;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Interactions.ImportInteractions;
using Moonflow.Application.Processes.DownloadProcessFile;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Interactions.GetImportTemplate;

/// <summary>The bulk communications template: headers in Spanish (default) or English, drop-downs, and a sheet explaining each column.</summary>
[RequiresPermission(Permissions.InteractionsImport)]
public sealed record GetImportTemplateQuery(bool English) : IRequest<FileDownload>;

public sealed class GetImportTemplateQueryHandler(IImportTemplateWriter writer) : IRequestHandler<GetImportTemplateQuery, FileDownload>
{
    private static readonly ImportTemplate Template = new(
        InteractionImportColumns.All,
        new Localized("Comunicaciones", "Communications"),
        new Localized(
            "La carga registra comunicaciones pasadas en Moonflow; no se envía ningún mensaje. Encabezados y valores pueden ir en español o inglés, sin importar mayúsculas ni tildes. Subir de nuevo las mismas filas no crea duplicados.",
            "Uploading registers past communications in Moonflow; nothing is sent. Headers and values may be in Spanish or English; case and accents do not matter. Uploading the same rows again creates nothing new."));

    public Task<FileDownload> Handle(GetImportTemplateQuery request, CancellationToken cancellationToken) =>
        Task.FromResult(writer.Download(Template, request.English, new Localized("plantilla-comunicaciones-masivas.xlsx", "bulk-communications-template.xlsx")));
}
