using MediatR;
using Moonflow.Api.Infrastructure;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Crm.Imports.GetContactsImportFormat;
using Moonflow.Application.Crm.Imports.GetContactDetailsImportFormat;
using Moonflow.Application.Crm.Imports.GetContactsUpdateFormat;
using Moonflow.Application.Crm.Imports.GetEntityRecordsImportFormat;
using Moonflow.Application.Crm.Imports.ImportContactDetails;
using Moonflow.Application.Crm.Imports.ImportContacts;
using Moonflow.Application.Crm.Imports.ImportEntityRecords;
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

        imports.MapGet("/entities/{entityId:guid}/format", (Guid entityId, string? lang, IMediator mediator, CancellationToken ct) =>
                Format(mediator.Send(new GetEntityRecordsImportFormatQuery(entityId, FormatLanguage.IsEnglish(lang)), ct)))
            .WithName("GetCrmEntityRecordsImportFormat")
            .WithSummary("An entity's import format workbook (xlsx): a column per field of the entity, headed by its label, drop-downs for list and Sí/No fields, an instructions sheet; ?lang=es|en. Another account's entity is a 404.")
            .WithFormatResponses()
            .ProducesProblem(StatusCodes.Status404NotFound);

        imports.MapUpload<ImportEntityRecordsCommand, UploadForm, EntityRoute>(
                "/entities/{entityId:guid}", "ImportCrmEntityRecords", (upload, dryRun, route) => new ImportEntityRecordsCommand(route.EntityId, upload, dryRun))
            .WithSummary($"Create records of an entity from a file (multipart: 'file', .xlsx or .csv checked by content). The header row must be exactly the entity's fields, by label or key (else 400 naming them); each row becomes a record (created), each value checked against its field's type — number, date yyyy-MM-dd, Sí/No, one of a list's options, required fields given — or the row fails naming the column and the value. Another account's entity is a 404. {DryRunNote}")
            .ProducesProblem(StatusCodes.Status404NotFound);

        imports.MapGet("/details/format", (Guid? entityId, string? key, string? lang, IMediator mediator, CancellationToken ct) =>
                Format(mediator.Send(new GetContactDetailsImportFormatQuery(entityId, key, FormatLanguage.IsEnglish(lang)), ct)))
            .WithName("GetCrmContactDetailsImportFormat")
            .WithSummary($"The details import's format workbook (xlsx) for 'entityId' and 'key': the key column, then the entity's fields — exactly the columns the upload must have. {DetailsKeyNote} ?lang=es|en. Another account's entity is a 404.")
            .WithFormatResponses()
            .ProducesProblem(StatusCodes.Status404NotFound);

        imports.MapUpload<ImportContactDetailsCommand, ContactDetailsForm>("/details", "ImportCrmContactDetails", (upload, dryRun) => new ImportContactDetailsCommand(upload, dryRun))
            .WithSummary($"Attach details to a lot's contacts from a file (multipart: 'file'; 'lotId'; 'key'; 'entityId', as the format was downloaded with). The header row must be exactly the key column and the entity's fields. Each row's key finds one contact of the lot; its details are that contact's record of the entity, created (created) or replaced (updated, its item keeping the previous values; skipped when they are the same). A row whose key matches no contact of the lot, or several, fails with the reason. {DetailsKeyNote} Another account's lot or entity is a 404. {DryRunNote}")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private const string DetailsKeyNote =
        "Keys: documentNumber, phone (one of the contact's phones), email (ignoring case) or details.<name> (a detail field of the contact).";

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

    /// <summary>The entity whose records an upload creates, from the route.</summary>
    internal readonly record struct EntityRoute(Guid EntityId);

    /// <summary>The multipart form of a details import.</summary>
    private sealed class ContactDetailsForm
    {
        /// <summary>The spreadsheet: .xlsx or .csv, told by its content; its headers exactly the key column and the entity's fields.</summary>
        public required IFormFile File { get; init; }

        /// <summary>The lot whose contacts the rows are matched in.</summary>
        public required Guid LotId { get; init; }

        /// <summary>The contact field each row is matched by: documentNumber, phone, email or details.&lt;name&gt;.</summary>
        public required string Key { get; init; }

        /// <summary>The entity whose record holds each contact's details.</summary>
        public required Guid EntityId { get; init; }

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
