using MediatR;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Imports.ImportEntityRecords;

/// <summary>
/// Creates records of a tenant-defined entity from an uploaded spreadsheet (seed 004, "Entidades"): the header row is
/// exactly the entity's fields, and each valid row becomes a record; a value that does not fit its field's type fails its
/// row with the column and the value. Another tenant's entity is a 404.
/// </summary>
[RequiresPermission(Permissions.CrmProcesses)]
public sealed record ImportEntityRecordsCommand(Guid EntityId, IUploadedFile Upload, bool DryRun = false) : IRequest<ProcessAccepted>;

public sealed class ImportEntityRecordsCommandHandler(UploadImportStarter uploads, EntityRecordsImport import, IReadStore store)
    : IRequestHandler<ImportEntityRecordsCommand, ProcessAccepted>
{
    public Task<ProcessAccepted> Handle(ImportEntityRecordsCommand request, CancellationToken cancellationToken) =>
        uploads.StartAsync(
            import, request.Upload, request.DryRun,
            async (_, ct) => (object?)new EntityRecordsImportSettings(await ImportedEntity.LoadAsync(store, request.EntityId, ct)),
            cancellationToken);
}
