using MediatR;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Common.Trays;

namespace Moonflow.Application.Identity.Preferences.GetColumnPreference;

/// <summary>The columns the caller sees in a tray: their saved choice, or the tray's defaults.</summary>
[AnySignedInCaller]
public sealed record GetColumnPreferenceQuery(string Tray) : IRequest<ColumnPreferenceDto>;

public sealed record ColumnPreferenceDto(string Tray, IReadOnlyList<string> Columns);

public sealed class GetColumnPreferenceQueryHandler(IEnumerable<IColumnCatalog> catalogs, IUserPreferences preferences, ICurrentUser user)
    : IRequestHandler<GetColumnPreferenceQuery, ColumnPreferenceDto>
{
    public async Task<ColumnPreferenceDto> Handle(GetColumnPreferenceQuery request, CancellationToken cancellationToken)
    {
        var catalog = catalogs.For(request.Tray) ?? throw new NotFoundException("Tray", request.Tray);
        return new ColumnPreferenceDto(catalog.Tray, await preferences.ColumnsAsync(user, catalog, cancellationToken));
    }
}
