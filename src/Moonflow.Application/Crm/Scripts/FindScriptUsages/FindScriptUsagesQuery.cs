using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Paging;
using Moonflow.Application.Common.Security;
using Moonflow.Domain.Crm;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Crm.Scripts.FindScriptUsages;

/// <summary>
/// Where a data object is used, or a fragment written, in the tenant's scripts (seed 004, "Verificación de uso de
/// objetos en Script"): every matching line with its screen, sub-screen and script, keyset paged.
/// </summary>
[RequiresPermission(Permissions.CrmRead)]
public sealed record FindScriptUsagesQuery(string? Object, string? Text, string? Cursor = null, int Limit = Common.Paging.Cursor.DefaultLimit)
    : IPagedRequest, IRequest<Page<ScriptUsageDto>>;

public sealed class FindScriptUsagesQueryValidator : AbstractValidator<FindScriptUsagesQuery>
{
    public FindScriptUsagesQueryValidator() => this.AddPagingRules();
}

public sealed class FindScriptUsagesQueryHandler(IScriptUsageSearch scripts, ICurrentUser user) : IRequestHandler<FindScriptUsagesQuery, Page<ScriptUsageDto>>
{
    public async Task<Page<ScriptUsageDto>> Handle(FindScriptUsagesQuery request, CancellationToken cancellationToken)
    {
        var search = ScriptSearch.Create(request.Object, request.Text);

        // The list's cursor carries a script id and a line number (in the place of the usual sort instant).
        ScriptLinePosition? after = Cursor.TryDecode(request.Cursor, out var cursor) ? new ScriptLinePosition(cursor.Id, (int)Math.Min(cursor.At.UtcTicks, int.MaxValue)) : null;
        var rows = await scripts.FindAsync(user.TenantId, search, after, request.Limit + 1, cancellationToken);
        return Cursor.ToPage(rows, request.Limit, u => new Cursor(new DateTimeOffset(u.Line, TimeSpan.Zero), u.Script.Id));
    }
}
