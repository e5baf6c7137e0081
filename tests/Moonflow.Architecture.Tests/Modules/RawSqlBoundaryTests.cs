using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Moonflow.Application.Common.Security;
using Moonflow.Architecture.Tests.Support;
using Moonflow.Infrastructure.Persistence;

namespace Moonflow.Architecture.Tests.Modules;

/// <summary>
/// Raw SQL stays inside its module's tables, or goes through a named port. Each module's tables come from the EF
/// Core model (an entity's namespace names its module, its table its schema); the string literals of every
/// Infrastructure type (IL <c>ldstr</c>, which raw strings, interpolations and FormattableStrings all compile to)
/// are scanned for <c>schema.table</c>.
/// </summary>
/// <remarks>
/// Downloads are the one SQL that reads other modules' tables on purpose, and they write no table name: they are
/// translated from the tray definition each module publishes (Common's <c>TrayDefinition</c>, the named port) with
/// the EF model's names.
/// </remarks>
public sealed partial class RawSqlBoundaryTests
{
    private static readonly IReadOnlyDictionary<string, string> TableModules = TablesOfModules();

    private static readonly IReadOnlyList<(string Module, string Type, string Table)> References = ScanInfrastructure();

    [Fact]
    public void RawSql_WhenScanned_FindsTablesOfEveryModuleThatHasThem()
    {
        Assert.True(TableModules.Count >= 10, $"The EF model gave too few tables ({TableModules.Count}); the rule would pass vacuously.");
        var modulesWithSql = References.Where(r => TableModules[r.Table] == r.Module).Select(r => r.Module).ToHashSet();

        // Modules known to write raw SQL on their own tables: a scan that finds none of them is broken.
        Assert.All(["Interactions", "Receivables", "Processes", "Idempotency"], module => Assert.Contains(module, modulesWithSql));
    }

    [Fact]
    public void RawSql_OfAnInfrastructureModule_QueriesOnlyItsOwnTablesAndThePublishedOnes()
    {
        var offenders =
            from reference in References
            let owner = TableModules[reference.Table]
            where owner != reference.Module
            where !ModuleMap.PublishedTables.Contains(reference.Table)
            where !(ModuleMap.SqlOnBehalfOf.TryGetValue(reference.Module, out var modules) && modules.Contains(owner))
            select $"{reference.Type} ({reference.Module}) queries {reference.Table} of {owner}";

        ArchAssert.NoOffenders(offenders.Distinct(), "Raw SQL may use its own module's tables and the published ones; another module's data goes through a named port");
    }

    [Fact]
    public void SqlAllowances_WhenComparedWithTheCode_AreAllStillNeeded()
    {
        var unused =
            from entry in ModuleMap.SqlOnBehalfOf
            from owner in entry.Value
            where !References.Any(r => r.Module == entry.Key && TableModules[r.Table] == owner)
            select $"{entry.Key} -> {owner}: declared, never used";

        ArchAssert.NoOffenders(unused, "Allowances for raw SQL must describe the code as it is");
    }

    /// <summary>
    /// Every table of the EF model and the module that owns its schema: the module of the schema's entities
    /// (<c>Moonflow.{Layer}.{Module}.…</c>), not counting a technical module that maps a table for another one (the
    /// process targets' row type lives beside the DbContext).
    /// </summary>
    private static Dictionary<string, string> TablesOfModules()
    {
        using var db = new MoonflowDbContext(new DbContextOptionsBuilder<MoonflowDbContext>().UseNpgsql("Host=unused").Options, new UserContext());
        var entities = db.Model.GetEntityTypes()
            .Select(e => (Schema: e.GetSchema() ?? "public", Table: $"{e.GetSchema() ?? "public"}.{e.GetTableName()}", Module: ModuleOf(e.ClrType)))
            .ToList();
        var owners = entities.GroupBy(e => e.Schema).ToDictionary(g => g.Key, g =>
        {
            var modules = g.Select(e => e.Module).Distinct().ToList();
            var business = modules.Where(m => !ModuleMap.SharedAdapters.Contains(m)).ToList();
            return (business.Count > 0 ? business : modules) is [var single]
                ? single
                : throw new InvalidOperationException($"The schema {g.Key} holds tables of {string.Join(" and ", modules)}; one schema per module.");
        });
        return entities.DistinctBy(e => e.Table).ToDictionary(e => e.Table, e => owners[e.Schema], StringComparer.Ordinal);
    }

    private static string ModuleOf(Type type) =>
        type.Namespace?.Split('.') is ["Moonflow", _, var module, ..] ? module : throw new InvalidOperationException($"{type} is in no module.");

    private static List<(string Module, string Type, string Table)> ScanInfrastructure()
    {
        using var assembly = AssemblyDefinition.ReadAssembly(Assemblies.Infrastructure.Location);
        var references = new List<(string, string, string)>();
        foreach (var type in assembly.MainModule.GetTypes())
        {
            // Nested types (lambdas, async state machines) carry no namespace of their own.
            var outer = type;
            while (outer.DeclaringType is not null)
            {
                outer = outer.DeclaringType;
            }

            if (outer.Namespace.Split('.') is not ["Moonflow", "Infrastructure", var module, ..] || module == "Persistence" && outer.Namespace.EndsWith(".Migrations", StringComparison.Ordinal))
            {
                continue; // composition root, and migrations (they create every module's tables by design)
            }

            var literals = type.Methods.Where(m => m.HasBody).SelectMany(m => m.Body.Instructions)
                .Where(i => i.OpCode == OpCodes.Ldstr).Select(i => (string)i.Operand);
            foreach (var literal in literals)
            {
                foreach (Match match in TableName().Matches(literal))
                {
                    if (TableModules.ContainsKey(match.Value))
                    {
                        references.Add((module, outer.FullName, match.Value));
                    }
                }
            }
        }

        return references;
    }

    [GeneratedRegex(@"\b[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*\b")]
    private static partial Regex TableName();
}
