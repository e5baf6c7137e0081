using System.Globalization;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Persistence;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Application.Receivables.Documents;
using Moonflow.Domain.Identity;
using Moonflow.Domain.Receivables;

namespace Moonflow.Application.Receivables.ReceivedInvoices.RegisterReceivedInvoice;

/// <summary>
/// Keeps an invoice a supplier sent (an expense): its XML plus the form fields <c>supplier</c>, <c>number</c>,
/// <c>issueDate</c> (yyyy-MM-dd) and <c>amount</c> (a decimal with '.'). The same supplier and number twice → 409
/// <c>received_invoice_exists</c>.
/// </summary>
[RequiresPermission(Permissions.PaymentOrdersWrite)]
public sealed record RegisterReceivedInvoiceCommand(IUploadedForm Form) : IRequest<ReceivedInvoiceDto>
{
    public const string XmlField = "xml";

    public static readonly string[] FileFields = [XmlField];
}

public sealed class RegisterReceivedInvoiceCommandHandler(
    IReceivablesDocumentRepository documents, ReceivedDocuments received, DocumentInspector inspector, IUnitOfWork unitOfWork, ICurrentUser user, TimeProvider clock)
    : IRequestHandler<RegisterReceivedInvoiceCommand, ReceivedInvoiceDto>
{
    private static readonly Func<ReceivedInvoice, ReceivedInvoiceDto> ToDto = ReceivedInvoiceDto.Projection.Compile();

    public async Task<ReceivedInvoiceDto> Handle(RegisterReceivedInvoiceCommand request, CancellationToken cancellationToken)
    {
        var userId = user.RequireUserId();
        return await received.ReceiveAsync(request.Form, async form =>
        {
            var (supplier, number, issueDate, amount) = ReadFields(form);
            var xml = await inspector.RequireAsync(form.Files[RegisterReceivedInvoiceCommand.XmlField], RegisterReceivedInvoiceCommand.XmlField, DocumentKind.Xml, cancellationToken);
            return await unitOfWork.InTransactionAsync(
                async () =>
                {
                    if (await documents.ReceivedInvoiceExistsAsync(supplier, number, cancellationToken))
                    {
                        throw new ConflictException("received_invoice_exists", $"Invoice {number} of {supplier} is already registered.");
                    }

                    var invoice = ReceivedInvoice.Register(user.TenantId, supplier, number, issueDate, amount, xml, userId, clock.GetUtcNow());
                    documents.Add(invoice);
                    return ToDto(invoice);
                },
                cancellationToken);
        }, cancellationToken);
    }

    /// <summary>The form's fields arrive with the file, so they are checked once it is in; every wrong field is named at once.</summary>
    private static (string Supplier, string Number, DateOnly IssueDate, decimal Amount) ReadFields(ReceivedForm form)
    {
        var errors = new List<ValidationFailure>();
        var supplier = ReceivedDocuments.Field(form, "supplier");
        var number = ReceivedDocuments.Field(form, "number");
        var issueDateText = ReceivedDocuments.Field(form, "issueDate");
        var amountText = ReceivedDocuments.Field(form, "amount");
        if (supplier is null || supplier.Length > 200)
        {
            errors.Add(new ValidationFailure("supplier", "Give the supplier ('supplier'), at most 200 characters."));
        }

        if (number is null || number.Length > 40)
        {
            errors.Add(new ValidationFailure("number", "Give the invoice number ('number'), at most 40 characters."));
        }

        if (!DateOnly.TryParseExact(issueDateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var issueDate))
        {
            errors.Add(new ValidationFailure("issueDate", "Give the issue date ('issueDate') as yyyy-MM-dd."));
        }

        if (!decimal.TryParse(amountText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            errors.Add(new ValidationFailure("amount", "Give the amount ('amount') as a number greater than zero with '.' for decimals, e.g. 1250000.50."));
        }

        return errors.Count > 0 ? throw new ValidationException(errors) : (supplier!, number!, issueDate, amount);
    }
}
