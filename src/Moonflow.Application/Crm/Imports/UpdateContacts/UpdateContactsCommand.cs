using MediatR;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Imports.UpdateContacts;

/// <summary>
/// Updates contacts from an uploaded spreadsheet (seed 004, "Actualización"): form fields <c>keys</c> (contact fields that
/// together identify a contact) and <c>fields</c> (the ones to update); the header row must be exactly those columns.
/// Each row updates the one contact its keys match, or fails saying it matched none or several; a row that changes
/// nothing is skipped; an updated contact's item keeps its previous values.
/// </summary>
[RequiresPermission(Permissions.CrmProcesses)]
public sealed record UpdateContactsCommand(IUploadedFile Upload, bool DryRun = false) : IRequest<ProcessAccepted>;

public sealed class UpdateContactsCommandHandler(UploadImportStarter uploads, ContactsUpdateImport import)
    : IRequestHandler<UpdateContactsCommand, ProcessAccepted>
{
    public Task<ProcessAccepted> Handle(UpdateContactsCommand request, CancellationToken cancellationToken) =>
        uploads.StartAsync(
            import, request.Upload, request.DryRun,
            (form, _) => Task.FromResult<object?>(
                ContactsUpdateSettings.Choose(form.List(ContactsUpdateSettings.KeysField), form.List(ContactsUpdateSettings.FieldsField))),
            cancellationToken);
}
