using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Receivables.Documents;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Receivables.Clients.DeleteClientAttachment;

/// <summary>Removes a document from a client's file; its bytes leave the store once the removal commits.</summary>
[RequiresPermission(Permissions.ClientsWrite)]
public sealed record DeleteClientAttachmentCommand(Guid ClientId, Guid AttachmentId) : IRequest<Unit>, ITransactionalCommand;

public sealed class DeleteClientAttachmentCommandHandler(IReceivablesDocumentRepository documents, IUnitOfWork unitOfWork, IFileStorage files)
    : IRequestHandler<DeleteClientAttachmentCommand, Unit>
{
    public async Task<Unit> Handle(DeleteClientAttachmentCommand request, CancellationToken cancellationToken)
    {
        var attachment = await documents.GetClientAttachmentAsync(request.ClientId, request.AttachmentId, cancellationToken)
            ?? throw new NotFoundException("Attachment", request.AttachmentId);
        documents.Remove(attachment);
        var key = attachment.File.FileKey;
        unitOfWork.AfterCommit(() => files.DeleteAsync(key, CancellationToken.None));
        return Unit.Value;
    }
}
