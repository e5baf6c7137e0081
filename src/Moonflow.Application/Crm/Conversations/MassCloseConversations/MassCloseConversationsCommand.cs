using MediatR;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.StartProcess;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Conversations.MassCloseConversations;

/// <summary>
/// Closes digital-channel conversations listed in a file (single column <c>ConversationId</c>) with the subcategory of the
/// form field <c>subcategoryId</c>, by the caller, now (seed 004, "Cierre Masivo"). A process on the upload pipeline:
/// each row is an item, closed (<c>succeeded</c>) or failed with the reason (unknown id, already closed, a repeat); a dry
/// run says which would be closed (<c>would_update</c>) and closes none.
/// </summary>
[RequiresPermission(Permissions.CrmProcesses)]
public sealed record MassCloseConversationsCommand(IUploadedFile Upload, bool DryRun = false) : IRequest<ProcessAccepted>;

public sealed class MassCloseConversationsCommandHandler(UploadImportStarter uploads, ConversationsMassClose import, CrmReferences references)
    : IRequestHandler<MassCloseConversationsCommand, ProcessAccepted>
{
    public const string SubcategoryField = "subcategoryId";

    public Task<ProcessAccepted> Handle(MassCloseConversationsCommand request, CancellationToken cancellationToken) =>
        uploads.StartAsync(import, request.Upload, request.DryRun, SettingsAsync, cancellationToken);

    /// <summary>The subcategory must be given, and the tenant's (another tenant's is a 404, like one that does not exist).</summary>
    private async Task<object?> SettingsAsync(ImportForm form, CancellationToken cancellationToken)
    {
        var subcategoryId = form.RequiredGuid(SubcategoryField);
        await references.SubcategoriesAsync([subcategoryId], cancellationToken);
        return new MassCloseSettings(subcategoryId);
    }
}
