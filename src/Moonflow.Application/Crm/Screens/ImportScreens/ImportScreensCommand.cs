using MediatR;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Screens.ImportScreens;

/// <summary>
/// Loads screens, sub-screens and scripts from a workbook (screen, sub-screen, script name, script text) as a process on
/// the upload pipeline: each row is an item, <c>created</c>, <c>updated</c>, <c>skipped</c> (the script already says
/// that) or <c>failed</c>; a dry run says what would happen and writes nothing.
/// </summary>
[RequiresPermission(Permissions.CrmProcesses)]
public sealed record ImportScreensCommand(IUploadedFile Upload, bool DryRun = false) : IRequest<ProcessAccepted>;

public sealed class ImportScreensCommandHandler(UploadImportStarter uploads, ScreensImport import) : IRequestHandler<ImportScreensCommand, ProcessAccepted>
{
    public Task<ProcessAccepted> Handle(ImportScreensCommand request, CancellationToken cancellationToken) =>
        uploads.StartAsync(import, request.Upload, request.DryRun, settings: (object?)null, cancellationToken);
}
