using Moonflow.Domain.Common;

namespace Moonflow.Domain.Crm;

/// <summary>An agent's screen, made of sub-screens whose scripts read data objects (<c>lblEtiqueta1</c>) and say what to tell the contact.</summary>
public sealed class Screen : AggregateRoot, ITenantOwned
{
    private readonly List<SubScreen> _subScreens = [];

    private Screen()
    {
        Name = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Name { get; private set; }

    public IReadOnlyList<SubScreen> SubScreens => _subScreens;

    public static Screen Create(Guid tenantId, string name, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), TenantId = tenantId, Name = Guard.Required(name, nameof(name), 200) };

    public SubScreen AddSubScreen(string name, IEnumerable<(string Name, string Text)> scripts, DateTimeOffset now)
    {
        var subScreen = SubScreen.Create(TenantId, Id, _subScreens.Count + 1, Guard.Required(name, "subScreens", 200));
        foreach (var (scriptName, text) in scripts)
        {
            subScreen.AddScript(scriptName, text, now);
        }

        _subScreens.Add(subScreen);
        return subScreen;
    }
}

public sealed class SubScreen : ITenantOwned
{
    private readonly List<Script> _scripts = [];

    private SubScreen()
    {
        Name = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid ScreenId { get; private set; }

    public int Position { get; private set; }

    public string Name { get; private set; }

    public IReadOnlyList<Script> Scripts => _scripts;

    internal static SubScreen Create(Guid tenantId, Guid screenId, int position, string name) =>
        new() { Id = Guid.CreateVersion7(), TenantId = tenantId, ScreenId = screenId, Position = position, Name = name };

    internal void AddScript(string name, string text, DateTimeOffset now) =>
        _scripts.Add(Script.Create(TenantId, Id, _scripts.Count + 1, Guard.Required(name, "scripts", 200), Guard.Required(text, "scripts", Script.MaxTextLength), now));
}

/// <summary>A script's text, as written; the script-usage search of issue 11 reads it (data objects such as <c>lblEtiqueta10</c> and fragments).</summary>
public sealed class Script : ITenantOwned
{
    public const int MaxTextLength = 20_000;

    private Script()
    {
        Name = Text = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid SubScreenId { get; private set; }

    public int Position { get; private set; }

    public string Name { get; private set; }

    public string Text { get; private set; }

    internal static Script Create(Guid tenantId, Guid subScreenId, int position, string name, string text, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), TenantId = tenantId, SubScreenId = subScreenId, Position = position, Name = name, Text = text };
}
