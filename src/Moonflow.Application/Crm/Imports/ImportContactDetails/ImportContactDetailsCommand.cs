using MediatR;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Imports.ImportContactDetails;

/// <summary>
/// Attaches extra details to a lot's contacts from an uploaded spreadsheet (seed 004, "Detalles"): form fields <c>lotId</c>,
/// <c>key</c> (the contact field each row is matched by) and <c>entityId</c> (the entity whose record holds the details).
/// A row matching one contact of the lot creates or replaces that contact's record of the entity; none or several, it
/// fails with the reason. Another tenant's lot or entity is a 404.
/// </summary>
[RequiresPermission(Permissions.CrmProcesses)]
public sealed record ImportContactDetailsCommand(IUploadedFile Upload, bool DryRun = false) : IRequest<ProcessAccepted>;

public sealed class ImportContactDetailsCommandHandler(UploadImportStarter uploads, ContactDetailsImport import, IReadStore store, CrmReferences references)
    : IRequestHandler<ImportContactDetailsCommand, ProcessAccepted>
{
    public Task<ProcessAccepted> Handle(ImportContactDetailsCommand request, CancellationToken cancellationToken) =>
        uploads.StartAsync(import, request.Upload, request.DryRun, SettingsAsync, cancellationToken);

    private async Task<object?> SettingsAsync(ImportForm form, CancellationToken cancellationToken)
    {
        var lotId = form.RequiredGuid(ContactDetailsImportSettings.LotIdField);
        var key = form.Required(ContactDetailsImportSettings.KeyField, 60);
        var entityId = form.RequiredGuid(ImportedEntity.EntityIdField);
        ContactFields.FindDetailsKey(key, ContactDetailsImportSettings.KeyField);
        await references.LotAsync(lotId, cancellationToken);
        return ContactDetailsImportSettings.Choose(lotId, key, await ImportedEntity.LoadAsync(store, entityId, cancellationToken));
    }
}
