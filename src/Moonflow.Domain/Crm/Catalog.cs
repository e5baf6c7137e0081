using Moonflow.Domain.Common;

namespace Moonflow.Domain.Crm;

/// <summary>A campaign base: the contacts a campaign dials. Contacts join and leave it by association processes.</summary>
public sealed class CampaignBase : AggregateRoot, ITenantOwned
{
    private CampaignBase()
    {
        Name = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Name { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static CampaignBase Create(Guid tenantId, string name, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), TenantId = tenantId, Name = Guard.Required(name, nameof(name), 200), CreatedAt = now };
}

/// <summary>A batch of loaded contacts; each contact comes in exactly one lot.</summary>
public sealed class Lot : AggregateRoot, ITenantOwned
{
    private Lot()
    {
        Name = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Name { get; private set; }

    public DateTimeOffset LoadedAt { get; private set; }

    public static Lot Create(Guid tenantId, string name, DateTimeOffset loadedAt) =>
        new() { Id = Guid.CreateVersion7(loadedAt), TenantId = tenantId, Name = Guard.Required(name, nameof(name), 200), LoadedAt = loadedAt };
}

/// <summary>A group of resolutions ("Contactado", "No contactado"); its subcategories are what calls end with.</summary>
public sealed class Category : AggregateRoot, ITenantOwned
{
    private readonly List<Subcategory> _subcategories = [];

    private Category()
    {
        Name = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Name { get; private set; }

    public IReadOnlyList<Subcategory> Subcategories => _subcategories;

    public static Category Create(Guid tenantId, string name, IEnumerable<string> subcategories, DateTimeOffset now)
    {
        var category = new Category { Id = Guid.CreateVersion7(now), TenantId = tenantId, Name = Guard.Required(name, nameof(name), 200) };
        foreach (var sub in subcategories)
        {
            category.AddSubcategory(sub, now);
        }

        return category;
    }

    public Subcategory AddSubcategory(string name, DateTimeOffset now)
    {
        var trimmed = Guard.Required(name, "subcategories", 200);
        if (_subcategories.Any(s => string.Equals(s.Name, trimmed, StringComparison.OrdinalIgnoreCase)))
        {
            throw new DomainValidationException("subcategories", $"The category already has the subcategory '{trimmed}'.");
        }

        var subcategory = Subcategory.Create(TenantId, Id, trimmed, now);
        _subcategories.Add(subcategory);
        return subcategory;
    }
}

/// <summary>A resolution a call or a conversation ends with ("No contesta", "Promesa de pago").</summary>
public sealed class Subcategory : ITenantOwned
{
    private Subcategory()
    {
        Name = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid CategoryId { get; private set; }

    public string Name { get; private set; }

    internal static Subcategory Create(Guid tenantId, Guid categoryId, string name, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), TenantId = tenantId, CategoryId = categoryId, Name = name };
}
