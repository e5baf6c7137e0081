using MediatR;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Crm.Imports.ImportEntityRecords;
using Moonflow.Application.Processes.DownloadProcessFile;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Imports.GetEntityRecordsImportFormat;

/// <summary>
/// An entity's import format workbook (seed 004, "Formato de Importación Entidades"): a column per field, drop-downs for
/// list and Sí/No fields, an instructions sheet. Another tenant's entity is a 404.
/// </summary>
[RequiresPermission(Permissions.CrmProcesses)]
public sealed record GetEntityRecordsImportFormatQuery(Guid EntityId, bool English) : IRequest<FileDownload>;

public sealed class GetEntityRecordsImportFormatQueryHandler(IReadStore store, IImportTemplateWriter writer)
    : IRequestHandler<GetEntityRecordsImportFormatQuery, FileDownload>
{
    public async Task<FileDownload> Handle(GetEntityRecordsImportFormatQuery request, CancellationToken cancellationToken)
    {
        var entity = await ImportedEntity.LoadAsync(store, request.EntityId, cancellationToken);
        return writer.Download(
            EntityRecordsImport.Format(entity), request.English, new Localized("formato-importacion-entidad.xlsx", "entity-import-format.xlsx"));
    }
}
