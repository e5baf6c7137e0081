using MediatR;
using Moonflow.Api.Infrastructure;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Crm.Imports.GetContactsImportFormat;
using Moonflow.Application.Crm.Imports.GetContactsUpdateFormat;
using Moonflow.Application.Crm.Imports.ImportContacts;
using Moonflow.Application.Crm.Imports.UpdateContacts;
using Moonflow.Application.Processes.DownloadProcessFile;

namespace Moonflow.Api.Crm;

internal static partial class CrmEndpoints
{
    private const string DryRunNote =
        "With dryRun=true (query or form field) every row is checked and its item says what would happen (would_create, would_update, duplicate, skipped, failed); nothing is written.";

    /// <summary>The CRM's file imports (seed 004, "Importación de archivos"), each on the upload pipeline, and their format workbooks.</summary>
    private static void MapImports(RouteGroupBuilder crm)
    {
        var imports = crm.MapGroup("/imports");

        imports.MapGet("/contacts/format", (string? lang, IMediator mediator, CancellationToken ct) =>
                Format(mediator.Send(new GetContactsImportFormatQuery(FormatLanguage.IsEnglish(lang)), ct)))
            .WithName("GetCrmContactsImportFormat")
            .WithSummary("The contacts load's format workbook (xlsx): the columns the upload reads, in Spanish or English with ?lang=es|en; drop-downs for document type and do-not-call; an instructions sheet.")
            .WithFormatResponses();

        imports.MapUpload<ImportContactsCommand, ContactsImportForm>("/contacts", "ImportCrmContacts", (upload, dryRun) => new ImportContactsCommand(upload, dryRun))
            .WithSummary($"Load contacts into a lot (multipart: 'file', .xlsx or .csv checked by content; 'lotName'; optional 'baseId' to associate them to a base). A lot of that name is created with the first registered rows, or reused; contacts are matched by document type and number: new ones are created, known ones updated and placed in the lot. Uploading the same file into the same lot creates nothing (duplicate items). Runs as a process with per-row items and an error workbook of the failed rows. Another account's base is a 404. {DryRunNote}")
            .ProducesProblem(StatusCodes.Status404NotFound);

        imports.MapGet("/update/format", (string? keys, string? fields, string? lang, IMediator mediator, CancellationToken ct) =>
                Format(mediator.Send(new GetContactsUpdateFormatQuery(QueryEnum.SplitList(keys is null ? null : [keys]) ?? [], QueryEnum.SplitList(fields is null ? null : [fields]) ?? [], FormatLanguage.IsEnglish(lang)), ct)))
            .WithName("GetCrmContactsUpdateFormat")
            .WithSummary($"The update's format workbook (xlsx) for the chosen 'keys' (contact fields that together identify a contact) and 'fields' (the ones to update), comma-separated: exactly the columns the upload must have. {ContactFieldsNote} ?lang=es|en.")
            .WithFormatResponses();

        imports.MapUpload<UpdateContactsCommand, ContactsUpdateForm>("/update", "UpdateCrmContacts", (upload, dryRun) => new UpdateContactsCommand(upload, dryRun))
            .WithSummary($"Update contacts from a file (multipart: 'file'; 'keys' and 'fields', comma-separated, as the format was downloaded with). The header row must be exactly those columns (else 400 naming them). Each row updates the one contact its keys match (updated, its item listing the previous values of what changed); a row matching no contact or several fails with the reason; a row that changes nothing is skipped; an empty cell leaves its field as it is. {ContactFieldsNote} {DryRunNote}");
    }

    private const string ContactFieldsNote =
        "Contact fields: documentType, documentNumber, name, phones (as a key, 'phone': one of the contact's phones), email, doNotCall (not a key), details.<name> (a detail field); documentType and documentNumber are keys only.";

    private static async Task<IResult> Format(Task<FileDownload> download)
    {
        var file = await download;
        return TypedResults.Stream(file.Content, file.ContentType, file.FileName);
    }

    private static RouteHandlerBuilder WithFormatResponses(this RouteHandlerBuilder builder) => builder
        .Produces(StatusCodes.Status200OK, contentType: ContentTypes.Xlsx)
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>The multipart form of an update by chosen keys.</summary>
    private sealed class ContactsUpdateForm
    {
        /// <summary>The spreadsheet: .xlsx or .csv, told by its content; its headers exactly the chosen keys and fields.</summary>
        public required IFormFile File { get; init; }

        /// <summary>Contact fields that together identify a contact, comma-separated (documentNumber,phone).</summary>
        public required string Keys { get; init; }

        /// <summary>Contact fields to update, comma-separated (email,name,details.plan).</summary>
        public required string Fields { get; init; }

        /// <summary>true: check every row and report what would happen, writing nothing.</summary>
        public bool? DryRun { get; init; }
    }

    /// <summary>The multipart form of a contacts load.</summary>
    private sealed class ContactsImportForm
    {
        /// <summary>The spreadsheet: .xlsx or .csv, told by its content.</summary>
        public required IFormFile File { get; init; }

        /// <summary>The lot the contacts go into: created with the first registered rows, or the account's lot of that name.</summary>
        public required string LotName { get; init; }

        /// <summary>A base of the account the contacts are associated to.</summary>
        public Guid? BaseId { get; init; }

        /// <summary>true: check every row and report what would happen, writing nothing.</summary>
        public bool? DryRun { get; init; }
    }
}
