using MediatR;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Crm.Imports.ImportContactDetails;
using Moonflow.Application.Processes.DownloadProcessFile;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Common;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Imports.GetContactDetailsImportFormat;

/// <summary>
/// The details import's format workbook (seed 004, "Formatos de Importación Detalles") for an entity and a contact key: the
/// key column, then the entity's fields — exactly the columns its upload must have. Another tenant's entity is a 404.
/// </summary>
[RequiresPermission(Permissions.CrmProcesses)]
public sealed record GetContactDetailsImportFormatQuery(Guid? EntityId, string? Key, bool English) : IRequest<FileDownload>;

public sealed class GetContactDetailsImportFormatQueryHandler(IReadStore store, IImportTemplateWriter writer)
    : IRequestHandler<GetContactDetailsImportFormatQuery, FileDownload>
{
    public async Task<FileDownload> Handle(GetContactDetailsImportFormatQuery request, CancellationToken cancellationToken)
    {
        var entityId = request.EntityId ?? throw new DomainValidationException(ImportedEntity.EntityIdField, "'entityId' is required: the entity whose fields the details are.");
        var key = string.IsNullOrWhiteSpace(request.Key)
            ? throw new DomainValidationException(ContactDetailsImportSettings.KeyField, "'key' is required: documentNumber, phone, email or details.<name>.")
            : request.Key.Trim();
        ContactFields.FindDetailsKey(key, ContactDetailsImportSettings.KeyField);
        var settings = ContactDetailsImportSettings.Choose(Guid.Empty, key, await ImportedEntity.LoadAsync(store, entityId, cancellationToken));
        return writer.Download(
            ContactDetailsImport.Format(settings), request.English, new Localized("formato-importacion-detalles.xlsx", "details-import-format.xlsx"));
    }
}
