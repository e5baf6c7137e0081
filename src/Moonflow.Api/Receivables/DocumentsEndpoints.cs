using MediatR;
using Moonflow.Api.Infrastructure.OpenApi;
using Microsoft.Extensions.Options;
using Moonflow.Api.Infrastructure;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Processes.DownloadProcessFile;
using Moonflow.Application.Processes.Uploads;
using Moonflow.Application.Receivables.Clients.AddClientAttachment;
using Moonflow.Application.Receivables.Clients.DeleteClientAttachment;
using Moonflow.Application.Receivables.Clients.DownloadClientAttachment;
using Moonflow.Application.Receivables.Clients.ListClientAttachments;
using Moonflow.Application.Receivables.Documents;
using Moonflow.Application.Receivables.Invoices.AttachIssuedInvoice;
using Moonflow.Application.Receivables.Invoices.DownloadIssuedInvoice;
using Moonflow.Application.Receivables.Invoices.GetIssuedInvoice;
using Moonflow.Application.Receivables.ReceivedInvoices.DownloadReceivedInvoice;
using Moonflow.Application.Receivables.ReceivedInvoices.GetReceivedInvoice;
using Moonflow.Application.Receivables.ReceivedInvoices.ListReceivedInvoices;
using Moonflow.Application.Receivables.ReceivedInvoices.RegisterReceivedInvoice;

namespace Moonflow.Api.Receivables;

/// <summary>The documents Receivables keeps: issued invoices of payment orders, received invoices, clients' attachments.</summary>
internal static class DocumentsEndpoints
{
    public static void MapDocumentsEndpoints(this RouteGroupBuilder api)
    {
        var invoice = api.MapGroup("/payment-orders/{id:guid}/invoice").WithTag("Payment orders", "Receivables: what clients owe, by order, with due dates and status.");
        invoice.MapPut("/", (Guid id, HttpContext http, IFileStorage storage, IOptions<UploadOptions> options, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new AttachIssuedInvoiceCommand(id, Form(http, storage, options, AttachIssuedInvoiceCommand.FileFields)), ct))
            .WithName("AttachIssuedInvoice")
            .WithSummary("Keep the electronic invoice issued for a payment order: multipart 'xml' (well-formed, no DTD) and 'pdf', both required; optional field 'number' (the payment order's number otherwise). Sending it again replaces it. Checked by content: 415 unsupported_file_type / content_type_mismatch, 422 malformed_xml, 413 file_too_large, 409 invoice_number_taken.")
            .AcceptsUploadForm<IssuedInvoiceForm>(api, files: 2)
            .Produces<IssuedInvoiceDto>()
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "invoice_number_taken");
        invoice.MapGet("/", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetIssuedInvoiceQuery(id), ct))
            .WithName("GetIssuedInvoice")
            .WithSummary("The invoice of a payment order: its number and its two files (404 while none is attached).")
            .Produces<IssuedInvoiceDto>()
            .WithReadResponses();
        invoice.MapGet("/xml", (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
                Download(http, mediator.Send(new DownloadIssuedInvoiceQuery(id, InvoiceFile.Xml), ct)))
            .WithName("DownloadIssuedInvoiceXml")
            .WithSummary("Download the invoice's XML.")
            .WithDownloadResponses();
        invoice.MapGet("/pdf", (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
                Download(http, mediator.Send(new DownloadIssuedInvoiceQuery(id, InvoiceFile.Pdf), ct)))
            .WithName("DownloadIssuedInvoicePdf")
            .WithSummary("Download the invoice's PDF.")
            .WithDownloadResponses();

        var received = api.MapGroup("/received-invoices").WithTag("Received invoices", "Receivables: electronic invoices suppliers sent (their XML and its supplier, number, date and amount), registered once per supplier and number.");
        received.MapPost("/", async (HttpContext http, IFileStorage storage, IOptions<UploadOptions> options, IMediator mediator, CancellationToken ct) =>
            {
                var registered = await mediator.Send(new RegisterReceivedInvoiceCommand(Form(http, storage, options, RegisterReceivedInvoiceCommand.FileFields)), ct);
                return TypedResults.Created($"/api/v1/received-invoices/{registered.Id}", registered);
            })
            .WithName("RegisterReceivedInvoice")
            .WithSummary("Register an invoice a supplier sent: multipart 'xml' plus fields 'supplier', 'number', 'issueDate' (yyyy-MM-dd) and 'amount'. The same supplier and number twice → 409 received_invoice_exists.")
            .AcceptsUploadForm<ReceivedInvoiceForm>(api, files: 1)
            .Produces<ReceivedInvoiceDto>(StatusCodes.Status201Created)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "received_invoice_exists");
        received.MapGet("/", (string? supplier, string? cursor, int? limit, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListReceivedInvoicesQuery(supplier, cursor, limit ?? Cursor.DefaultLimit), ct))
            .WithName("ListReceivedInvoices")
            .WithSummary("Received invoices, newest first; optionally of one 'supplier'.")
            .Produces<Page<ReceivedInvoiceDto>>()
            .ProducesValidationProblem()
            .WithReadResponses();
        received.MapGet("/{id:guid}", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetReceivedInvoiceQuery(id), ct))
            .WithName("GetReceivedInvoice")
            .WithSummary("One received invoice.")
            .Produces<ReceivedInvoiceDto>()
            .WithReadResponses();
        received.MapGet("/{id:guid}/xml", (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
                Download(http, mediator.Send(new DownloadReceivedInvoiceQuery(id), ct)))
            .WithName("DownloadReceivedInvoiceXml")
            .WithSummary("Download a received invoice's XML.")
            .WithDownloadResponses();

        var attachments = api.MapGroup("/clients/{id:guid}/attachments").WithTag("Clients", "Receivables: the tenant's clients (debtors), their tags, and bulk actions over a selection of them, which run as processes.");
        attachments.MapPost("/", async (Guid id, HttpContext http, IFileStorage storage, IOptions<UploadOptions> options, IMediator mediator, CancellationToken ct) =>
            {
                var attachment = await mediator.Send(new AddClientAttachmentCommand(id, Form(http, storage, options, AddClientAttachmentCommand.FileFields)), ct);
                return TypedResults.Created($"/api/v1/clients/{id}/attachments/{attachment.Id}", attachment);
            })
            .WithName("AddClientAttachment")
            .WithSummary("Keep a document on a client's file (multipart 'file'): PDF, PNG, JPEG (checked by signature), XML (checked whole) or another document up to the upload limit. A name or type that contradicts the content → 415 content_type_mismatch.")
            .AcceptsUploadForm<AttachmentForm>(api, files: 1)
            .Produces<ClientAttachmentDto>(StatusCodes.Status201Created);
        attachments.MapGet("/", (Guid id, string? cursor, int? limit, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListClientAttachmentsQuery(id, cursor, limit ?? Cursor.DefaultLimit), ct))
            .WithName("ListClientAttachments")
            .WithSummary("A client's documents, newest first.")
            .Produces<Page<ClientAttachmentDto>>()
            .ProducesValidationProblem()
            .WithReadResponses();
        attachments.MapGet("/{attachmentId:guid}", (Guid id, Guid attachmentId, HttpContext http, IMediator mediator, CancellationToken ct) =>
                Download(http, mediator.Send(new DownloadClientAttachmentQuery(id, attachmentId), ct)))
            .WithName("DownloadClientAttachment")
            .WithSummary("Download one of a client's documents under the name it was sent with.")
            .WithDownloadResponses();
        attachments.MapDelete("/{attachmentId:guid}", async (Guid id, Guid attachmentId, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new DeleteClientAttachmentCommand(id, attachmentId), ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteClientAttachment")
            .WithSummary("Remove a document from a client's file.")
            .Produces(StatusCodes.Status204NoContent)
            .WithReadResponses();
    }

    private static MultipartUpload Form(HttpContext http, IFileStorage storage, IOptions<UploadOptions> options, IReadOnlyList<string> fields) =>
        new(http, storage, options.Value, fields);

    /// <summary>
    /// Streams the file as an attachment under its original name (Content-Disposition with a UTF-8 <c>filename*</c>), with
    /// ranges, and tells browsers not to guess another type from the bytes.
    /// </summary>
    private static async Task<IResult> Download(HttpContext http, Task<FileDownload> download)
    {
        var file = await download;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Stream(file.Content, file.ContentType, file.FileName, enableRangeProcessing: true);
    }

    private static RouteHandlerBuilder WithReadResponses(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound);

    private static RouteHandlerBuilder WithDownloadResponses(this RouteHandlerBuilder builder) => builder
        .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
        .WithReadResponses();
}

/// <summary>The multipart form of an issued invoice.</summary>
internal sealed class IssuedInvoiceForm
{
    /// <summary>The invoice's XML (UBL 2.1 or the local e-invoicing format): well-formed, no DTD.</summary>
    public required IFormFile Xml { get; init; }

    /// <summary>Its printable PDF.</summary>
    public required IFormFile Pdf { get; init; }

    /// <summary>The invoice's number, when it is not the payment order's.</summary>
    public string? Number { get; init; }
}

/// <summary>The multipart form of a received invoice.</summary>
internal sealed class ReceivedInvoiceForm
{
    public required IFormFile Xml { get; init; }

    /// <summary>The supplier's name or tax id.</summary>
    public required string Supplier { get; init; }

    public required string Number { get; init; }

    /// <summary>yyyy-MM-dd.</summary>
    public required string IssueDate { get; init; }

    /// <summary>A decimal with '.', e.g. 1250000.50.</summary>
    public required string Amount { get; init; }
}

/// <summary>The multipart form of a client's document.</summary>
internal sealed class AttachmentForm
{
    public required IFormFile File { get; init; }
}
