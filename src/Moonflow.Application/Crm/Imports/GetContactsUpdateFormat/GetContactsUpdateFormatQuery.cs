using MediatR;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Crm.Imports.UpdateContacts;
using Moonflow.Application.Processes.DownloadProcessFile;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Imports.GetContactsUpdateFormat;

/// <summary>The update's format workbook for the chosen keys and fields (comma-separated): exactly the columns its upload must have.</summary>
[RequiresPermission(Permissions.CrmProcesses)]
public sealed record GetContactsUpdateFormatQuery(IReadOnlyList<string> Keys, IReadOnlyList<string> Fields, bool English) : IRequest<FileDownload>;

public sealed class GetContactsUpdateFormatQueryHandler(IImportTemplateWriter writer) : IRequestHandler<GetContactsUpdateFormatQuery, FileDownload>
{
    public Task<FileDownload> Handle(GetContactsUpdateFormatQuery request, CancellationToken cancellationToken)
    {
        var settings = ContactsUpdateSettings.Choose(request.Keys, request.Fields);
        var template = new ImportTemplate(settings.Columns(), new Localized("Actualización", "Update"), ContactsUpdateImport.FormatNote);
        return Task.FromResult(writer.Download(template, request.English, new Localized("formato-actualizacion-contactos.xlsx", "contacts-update-format.xlsx")));
    }
}
