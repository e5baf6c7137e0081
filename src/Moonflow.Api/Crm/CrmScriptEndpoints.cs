using MediatR;
using Moonflow.Api.Infrastructure;
using Moonflow.Api.Infrastructure.OpenApi;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Crm.Scripts;
using Moonflow.Application.Crm.Scripts.FindScriptUsages;

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
            .WithSummary("Where a data object is used, or a fragment written, in the tenant's scripts: every matching line with its screen, sub-screen and script, keyset paged. Give exactly one of 'object' (an identifier matched as a whole word, case as written: lblEtiqueta1 matches lblEtiqueta1.value but not lblEtiqueta10) or 'text' (a fragment matched anywhere, ignoring case and accents), else 400 script_search_needs_one_criterion.")
            .WithListResponses<Page<ScriptUsageDto>>()
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, "script_search_needs_one_criterion");
    }
}
