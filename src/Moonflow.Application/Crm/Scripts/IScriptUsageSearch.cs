using Moonflow.Domain.Crm;

namespace Moonflow.Application.Crm.Scripts;

/// <summary>
/// Finds the script lines a <see cref="ScriptSearch"/> matches, in the database (a trigram index over the scripts'
/// text, then the matching scripts split into lines), so a tenant's hundred thousand scripts are never loaded.
/// </summary>
public interface IScriptUsageSearch
{
    /// <summary>
    /// Up to <paramref name="take"/> matching lines of the tenant's scripts after <paramref name="after"/> (a script
    /// and a line number), in reading order: screens by name, then sub-screens, scripts and lines by position.
    /// </summary>
    Task<List<ScriptUsageDto>> FindAsync(Guid tenantId, ScriptSearch search, ScriptLinePosition? after, int take, CancellationToken cancellationToken);
}

/// <summary>A line of a script: the keyset position of the usages list.</summary>
public readonly record struct ScriptLinePosition(Guid ScriptId, int Line);

/// <summary>One line of one script that uses the data object or holds the fragment, with where the script lives.</summary>
/// <param name="Line">1-based line number within the script's text.</param>
public sealed record ScriptUsageDto(ScriptUsageScreen Screen, ScriptUsageSubScreen SubScreen, ScriptUsageScript Script, int Line, string LineText);

public sealed record ScriptUsageScreen(Guid Id, string Name);

public sealed record ScriptUsageSubScreen(Guid Id, int Position, string Name);

public sealed record ScriptUsageScript(Guid Id, int Position, string Name);
