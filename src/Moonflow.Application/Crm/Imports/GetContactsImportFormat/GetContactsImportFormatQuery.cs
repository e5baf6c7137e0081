using MediatR;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Crm.Imports.ImportContacts;
using Moonflow.Application.Processes.DownloadProcessFile;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Imports.GetContactsImportFormat;

/// <summary>The contacts load's format workbook: the columns its reader checks, drop-downs for document type and do-not-call, an instructions sheet.</summary>
[RequiresPermission(Permissions.CrmProcesses)]
public sealed record GetContactsImportFormatQuery(bool English) : IRequest<FileDownload>;

public sealed class GetContactsImportFormatQueryHandler(IImportTemplateWriter writer) : IRequestHandler<GetContactsImportFormatQuery, FileDownload>
{
    public Task<FileDownload> Handle(GetContactsImportFormatQuery request, CancellationToken cancellationToken) =>
        Task.FromResult(writer.Download(ContactsImport.Format, request.English, new Localized("formato-contactos.xlsx", "contacts-format.xlsx")));
}
