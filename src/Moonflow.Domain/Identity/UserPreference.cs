using Moonflow.Domain.Common;

namespace Moonflow.Domain.Identity;

/// <summary>A setting a user chose for themselves, e.g. the columns they see in a tray.</summary>
public sealed class UserPreference : ITenantOwned
{
    private List<string> _values = [];

    private UserPreference()
    {
        Key = string.Empty;
    }

    public Guid TenantId { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>e.g. <c>columns:interactions</c>.</summary>
    public string Key { get; private set; }

    public IReadOnlyList<string> Values => _values;

    public DateTimeOffset UpdatedAt { get; private set; }

    public static UserPreference Create(Guid tenantId, Guid userId, string key, IEnumerable<string> values, DateTimeOffset now) =>
        new() { TenantId = tenantId, UserId = userId, Key = key, _values = values.ToList(), UpdatedAt = now };

    public void Change(IEnumerable<string> values, DateTimeOffset now)
    {
        _values = values.ToList();
        UpdatedAt = now;
    }
}
