using FluentValidation;
using MediatR;
using Moonflow.Application.Common.Behaviours;
using Moonflow.Application.Common.Exceptions;
using Moonflow.Application.Common.Security;
using Moonflow.Application.Common.Trays;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity.Preferences.SaveColumnPreference;

/// <summary>Saves the columns the caller wants to see in a tray; lists without 'fields' use them from then on.</summary>
[AnySignedInCaller]
public sealed record SaveColumnPreferenceCommand(string Tray, IReadOnlyList<string> Columns) : IRequest<GetColumnPreference.ColumnPreferenceDto>, ITransactionalCommand;

public sealed class SaveColumnPreferenceCommandValidator : AbstractValidator<SaveColumnPreferenceCommand>
{
    public SaveColumnPreferenceCommandValidator(IEnumerable<IColumnCatalog> catalogs)
    {
        RuleFor(c => c.Columns).NotEmpty().WithMessage("Choose at least one column.");
        RuleFor(c => c.Columns)
            .Must((command, columns) => catalogs.For(command.Tray) is not { } catalog || catalog.UnknownKeys(columns).Count == 0)
            .WithMessage((command, columns) => $"Unknown columns: {string.Join(", ", catalogs.For(command.Tray)!.UnknownKeys(columns))}.")
            .When(c => c.Columns is { Count: > 0 });
    }
}

public sealed class SaveColumnPreferenceCommandHandler(
    IEnumerable<IColumnCatalog> catalogs, IUserPreferenceRepository repository, ICurrentUser user, TimeProvider clock)
    : IRequestHandler<SaveColumnPreferenceCommand, GetColumnPreference.ColumnPreferenceDto>
{
    public async Task<GetColumnPreference.ColumnPreferenceDto> Handle(SaveColumnPreferenceCommand request, CancellationToken cancellationToken)
    {
        var catalog = catalogs.For(request.Tray) ?? throw new NotFoundException("Tray", request.Tray);
        var userId = user.RequireUserId();
        var columns = request.Columns.Distinct(StringComparer.Ordinal).ToList();
        var key = UserPreferences.ColumnsKey(catalog.Tray);
        var saved = await repository.GetAsync(userId, key, cancellationToken);
        if (saved is null)
        {
            repository.Add(UserPreference.Create(user.TenantId, userId, key, columns, clock.GetUtcNow()));
        }
        else
        {
            saved.Change(columns, clock.GetUtcNow());
        }

        return new GetColumnPreference.ColumnPreferenceDto(catalog.Tray, columns);
    }
}
