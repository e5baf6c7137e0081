using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Application.Receivables.Documents;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.Invoices.AttachIssuedInvoice;

/// <summary>
/// Keeps the electronic invoice issued for a payment order: its XML (well-formed, no DTD) and its PDF, both required, and
/// optionally its own number (the payment order's number otherwise). Sending it again replaces the files (a corrected
/// invoice); the replaced files are deleted once the change commits.
/// </summary>
[RequiresPermission(Permissions.PaymentOrdersWrite)]
public sealed record AttachIssuedInvoiceCommand(Guid PaymentOrderId, IUploadedForm Form) : IRequest<IssuedInvoiceDto>
{
    public const string XmlField = "xml";
    public const string PdfField = "pdf";
    public const string NumberField = "number";

    public static readonly string[] FileFields = [XmlField, PdfField];
}

public sealed class AttachIssuedInvoiceCommandHandler(
    IReadStore store, IReceivablesDocumentRepository documents, ReceivedDocuments received, DocumentInspector inspector,
    IUnitOfWork unitOfWork, IFileStorage files, ICurrentUser user, TimeProvider clock)
    : IRequestHandler<AttachIssuedInvoiceCommand, IssuedInvoiceDto>
{
    private static readonly Func<IssuedInvoice, IssuedInvoiceDto> ToDto = IssuedInvoiceDto.Projection.Compile();

    public async Task<IssuedInvoiceDto> Handle(AttachIssuedInvoiceCommand request, CancellationToken cancellationToken)
    {
        // Before a byte is stored: another tenant's order, or none, is a 404.
        var order = await store.FirstOrDefaultAsync(store.Query<PaymentOrder>().Where(o => o.Id == request.PaymentOrderId), cancellationToken)
            ?? throw new NotFoundException("Payment order", request.PaymentOrderId);
        var userId = user.RequireUserId();
        return await received.ReceiveAsync(request.Form, async form =>
        {
            var xml = await inspector.RequireAsync(form.Files[AttachIssuedInvoiceCommand.XmlField], AttachIssuedInvoiceCommand.XmlField, DocumentKind.Xml, cancellationToken);
            var pdf = await inspector.RequireAsync(form.Files[AttachIssuedInvoiceCommand.PdfField], AttachIssuedInvoiceCommand.PdfField, DocumentKind.Pdf, cancellationToken);
            var number = ReceivedDocuments.Field(form, AttachIssuedInvoiceCommand.NumberField);
            return await unitOfWork.InTransactionAsync(
                async () =>
                {
                    var invoice = await documents.GetIssuedInvoiceAsync(order.Id, cancellationToken);
                    var wanted = number ?? invoice?.Number ?? order.Number;
                    if (await documents.IssuedInvoiceNumberTakenAsync(wanted, order.Id, cancellationToken))
                    {
                        throw new ConflictException("invoice_number_taken", $"Another payment order's invoice already has the number {wanted}.");
                    }

                    var now = clock.GetUtcNow();
                    if (invoice is null)
                    {
                        invoice = IssuedInvoice.Issue(order, number, xml, pdf, userId, now);
                        documents.Add(invoice);
                    }
                    else
                    {
                        var replaced = invoice.Replace(order, number, xml, pdf, now);
                        unitOfWork.AfterCommit(async () =>
                        {
                            foreach (var old in replaced)
                            {
                                await files.DeleteAsync(old.FileKey, CancellationToken.None);
                            }
                        });
                    }

                    return ToDto(invoice);
                },
                cancellationToken);
        }, cancellationToken);
    }
}
