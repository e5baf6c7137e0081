using MediatR;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Interactions.ImportInteractions;

/// <summary>
/// Registers communications made outside the platform from an uploaded spreadsheet (nothing is sent). The upload
/// pipeline receives the file and checks its header row; then a process takes over: every row becomes an item
/// (created, duplicate or failed), or, in a dry run, says what it would become.
/// </summary>
[RequiresPermission(Permissions.InteractionsImport)]
public sealed record ImportInteractionsCommand(IUploadedFile Upload, bool DryRun = false) : IRequest<ProcessAccepted>;

public sealed class ImportInteractionsCommandHandler(UploadImportStarter uploads, InteractionsImport import)
    : IRequestHandler<ImportInteractionsCommand, ProcessAccepted>
{
    public Task<ProcessAccepted> Handle(ImportInteractionsCommand request, CancellationToken cancellationToken) =>
        uploads.StartAsync(import, request.Upload, request.DryRun, settings: (object?)null, cancellationToken);
}
