using MediatR;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Imports.ImportContacts;

/// <summary>
/// Loads the contacts of an uploaded spreadsheet into a lot (form fields <c>lotName</c> and, optionally, <c>baseId</c>):
/// new documents become contacts of the lot, known ones join it with the file's data, and with a base they are
/// associated to it. Uploading the same file into the same lot again changes nothing (its rows are duplicates).
/// </summary>
[RequiresPermission(Permissions.CrmProcesses)]
public sealed record ImportContactsCommand(IUploadedFile Upload, bool DryRun = false) : IRequest<ProcessAccepted>;

/// <summary>
/// The lot the rows go into (created with the first registered chunk, so a dry run or a file of bad rows leaves none
/// behind) and the base they join.
/// </summary>
/// <param name="NewLot">No lot of the account had the name when the upload was accepted.</param>
public sealed record ContactsImportSettings(Guid LotId, string LotName, bool NewLot, Guid? BaseId);

public sealed class ImportContactsCommandHandler(UploadImportStarter uploads, ContactsImport import, IReadStore store, CrmReferences references, TimeProvider clock)
    : IRequestHandler<ImportContactsCommand, ProcessAccepted>
{
    public const string LotNameField = "lotName";
    public const string BaseIdField = "baseId";

    public Task<ProcessAccepted> Handle(ImportContactsCommand request, CancellationToken cancellationToken) =>
        uploads.StartAsync(import, request.Upload, request.DryRun, ReadSettingsAsync, cancellationToken);

    /// <summary>
    /// The lot is found by its name, so the same file loaded into the same lot twice lands in one lot (and its second
    /// upload creates nothing); another tenant's base is a 404, as if it did not exist.
    /// </summary>
    private async Task<object?> ReadSettingsAsync(ImportForm form, CancellationToken cancellationToken)
    {
        var lotName = form.Required(LotNameField, 200);
        var baseId = form.OptionalGuid(BaseIdField);
        await references.BaseAsync(baseId, cancellationToken);
        var existing = await store.FirstOrDefaultAsync(
            store.Query<Lot>().Where(l => l.Name == lotName).OrderBy(l => l.LoadedAt).Select(l => (Guid?)l.Id), cancellationToken);
        return new ContactsImportSettings(existing ?? Guid.CreateVersion7(clock.GetUtcNow()), lotName, existing is null, baseId);
    }
}
