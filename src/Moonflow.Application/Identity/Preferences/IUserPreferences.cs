using Moonflow.Application.Common.Security;
using Moonflow.Application.Common.Trays;
using Moonflow.Domain.Identity;

namespace Moonflow.Application.Identity.Preferences;

/// <summary>Reads a user's saved choices; modules use it to apply a tray's chosen columns.</summary>
public interface IUserPreferences
{
    /// <summary>The caller's saved columns of a tray (still known to the catalog), or the tray's defaults.</summary>
    Task<IReadOnlyList<string>> ColumnsAsync(ICurrentUser user, IColumnCatalog catalog, CancellationToken cancellationToken);
}

public interface IUserPreferenceRepository
{
    Task<UserPreference?> GetAsync(Guid userId, string key, CancellationToken cancellationToken);

    void Add(UserPreference preference);
}

internal sealed class UserPreferences(IUserPreferenceRepository repository) : IUserPreferences
{
    public static string ColumnsKey(string tray) => $"columns:{tray}";

    public async Task<IReadOnlyList<string>> ColumnsAsync(ICurrentUser user, IColumnCatalog catalog, CancellationToken cancellationToken)
    {
        if (user.UserId is not { } userId)
        {
            return catalog.DefaultKeys();
        }

        var saved = await repository.GetAsync(userId, ColumnsKey(catalog.Tray), cancellationToken);

        // Columns removed from the catalog since they were saved are dropped silently.
        var known = saved?.Values.Where(v => catalog.UnknownKeys([v]).Count == 0).ToList();
        return known is { Count: > 0 } ? known : catalog.DefaultKeys();
    }
}
