using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Application.Receivables.Documents;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Clients.AddClientAttachment;

/// <summary>
/// Keeps a document on a client's file (multipart field <c>file</c>): a PDF, PNG or JPEG checked by its signature, an XML
/// checked whole, or another document up to the upload limit, whose name and declared type must not claim one of those
/// kinds falsely.
/// </summary>
[RequiresPermission(Permissions.ClientsWrite)]
public sealed record AddClientAttachmentCommand(Guid ClientId, IUploadedForm Form) : IRequest<ClientAttachmentDto>
{
    public const string FileField = "file";

    public static readonly string[] FileFields = [FileField];
}

public sealed class AddClientAttachmentCommandHandler(
    IReadStore store, IReceivablesDocumentRepository documents, ReceivedDocuments received, DocumentInspector inspector,
    IUnitOfWork unitOfWork, ICurrentUser user, TimeProvider clock)
    : IRequestHandler<AddClientAttachmentCommand, ClientAttachmentDto>
{
    private static readonly Func<ClientAttachment, ClientAttachmentDto> ToDto = ClientAttachmentDto.Projection.Compile();

    public async Task<ClientAttachmentDto> Handle(AddClientAttachmentCommand request, CancellationToken cancellationToken)
    {
        var client = await store.FirstOrDefaultAsync(store.Query<Client>().Where(c => c.Id == request.ClientId), cancellationToken)
            ?? throw new NotFoundException("Client", request.ClientId);
        var userId = user.RequireUserId();
        return await received.ReceiveAsync(request.Form, async form =>
        {
            var file = await inspector.AcceptAnyAsync(form.Files[AddClientAttachmentCommand.FileField], AddClientAttachmentCommand.FileField, cancellationToken);
            return await unitOfWork.InTransactionAsync(
                () =>
                {
                    var attachment = ClientAttachment.Attach(client, file, userId, clock.GetUtcNow());
                    documents.Add(attachment);
                    return Task.FromResult(ToDto(attachment));
                },
                cancellationToken);
        }, cancellationToken);
    }
}
