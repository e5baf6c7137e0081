using MediatR;
using Moonflow.Api.Infrastructure;
using Moonflow.Api.Infrastructure.OpenApi;
using Moonflow.Application.Common.Files;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Crm.Conversations.MassCloseConversations;
using Moonflow.Application.Crm.Screens.GetScreensImportFormat;
using Moonflow.Application.Crm.Screens.ImportScreens;
using Moonflow.Application.Crm.Scripts;
using Moonflow.Application.Crm.Scripts.FindScriptUsages;
using Moonflow.Domain.Common;

namespace Moonflow.Api.Crm;

internal static partial class CrmEndpoints
{
    private static void MapScripts(RouteGroupBuilder crm)
    {
        // "object" is the seed's own word for a data object (C# spells the parameter @object).
        crm.MapGet("/scripts/usages", (
                string? @object, string? text, string? cursor, int? limit, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new FindScriptUsagesQuery(@object, text, cursor, limit ?? Cursor.DefaultLimit), ct))
            .WithStrictQuery()
            .WithName("FindCrmScriptUsages")
            .WithSummary("Where a data object is used, or a fragment written, in the tenant's scripts: every matching line with its screen, sub-screen and script, in screen-name then position order, keyset paged. Give exactly one of 'object' (an identifier matched as a whole word, case as written: lblEtiqueta1 matches lblEtiqueta1.value but not lblEtiqueta10) or 'text' (a fragment matched anywhere, ignoring case and accents), else 400 script_search_needs_one_criterion.")
            .WithListResponses<Page<ScriptUsageDto>>()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "script_search_needs_one_criterion");

        crm.MapUpload("/screens/import", "ImportCrmScreens", (upload, dryRun) => new ImportScreensCommand(upload, dryRun))
            .WithSummary("Load screens, sub-screens and scripts from a workbook (multipart field 'file', .xlsx or .csv, checked by content; columns Pantalla/Screen, Sub-pantalla/SubScreen, Nombre del script/ScriptName, Texto del script/ScriptText). Runs as a process: a row whose script exists in that sub-screen (by name) replaces its text (updated, or skipped when the text is the same), any other creates it, with its screen and sub-screen if missing (created); bad rows and repeats of an earlier row are failed items and come back in an error workbook. With dryRun=true (query or form field) every row is checked and its item says what would happen (would_create, would_update, skipped, failed); nothing is written.");

        crm.MapUpload("/conversations/mass-close", "MassCloseCrmConversations", (upload, dryRun) => new MassCloseConversationsCommand(upload, dryRun))
            .Accepts<MassCloseForm>("multipart/form-data")
            .WithSummary("Close digital-channel conversations from a file (multipart field 'file', .xlsx or .csv, checked by content) whose single column is ConversationId, with the subcategory of the form field 'subcategoryId' (the tenant's, else 404), by the caller, now. A header row other than ConversationId is a 400 naming it. Runs as a process: each open conversation is closed (succeeded); unknown ids (another tenant's too), conversations already closed and repeated ids are failed items with the reason and come back in an error workbook. With dryRun=true (query or form field) the items say which would be closed (would_update) and nothing changes.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        crm.MapGet("/imports/screens/format", async (string? lang, IMediator mediator, CancellationToken ct) =>
            {
                var format = await mediator.Send(new GetScreensImportFormatQuery(FormatLanguage.IsEnglish(lang)), ct);
                return TypedResults.Stream(format.Content, format.ContentType, format.FileName);
            })
            .WithStrictQuery()
            .WithName("GetCrmScreensImportFormat")
            .WithSummary("The screens import's format workbook (xlsx): the columns the upload reads, headers in Spanish (lang=es, the default) or English (lang=en), and an instructions sheet.")
            .Produces(StatusCodes.Status200OK, contentType: ContentTypes.Xlsx)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    /// <summary>The multipart form of a mass close.</summary>
    private sealed class MassCloseForm
    {
        /// <summary>The ids to close: .xlsx or .csv (told by its content) with the single column ConversationId.</summary>
        public required IFormFile File { get; init; }

        /// <summary>The subcategory (resolution) the conversations are closed with.</summary>
        public required Guid SubcategoryId { get; init; }

        /// <summary>true: report which conversations would be closed, closing none.</summary>
        public bool? DryRun { get; init; }
    }
}
