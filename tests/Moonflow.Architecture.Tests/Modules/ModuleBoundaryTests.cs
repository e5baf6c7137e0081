using System.Reflection;
using Moonflow.Architecture.Tests.Support;
using NetArchTest.Rules;

namespace Moonflow.Architecture.Tests.Modules;

/// <summary>Module boundaries in every layer, derived from the namespaces and the one <see cref="ModuleMap"/>.</summary>
public sealed class ModuleBoundaryTests
{
    public static readonly TheoryData<string> Layers = new(Modules.Layers.Keys);

    [Theory]
    [MemberData(nameof(Layers))]
    public void ModulesOfALayer_WhenCompiled_UseOnlyTheModulesTheMapAllows(string layer)
    {
        var offenders = new List<string>();
        foreach (var module in Modules.Of(layer))
        {
            if (!ModuleMap.Allowed.TryGetValue(module, out var declared))
            {
                offenders.Add($"Moonflow.{layer}.{module} is not in {nameof(ModuleMap)}: declare the modules it may use");
                continue;
            }

            var allowed = declared.Concat(ModuleMap.Shared).Concat(ModuleMap.SharedAdapters).Append(module).ToHashSet(StringComparer.Ordinal);
            var forbidden = Modules.All.Where(m => !allowed.Contains(m.Module)).ToList();
            if (forbidden.Count == 0 || Modules.Check(layer, module, forbidden.Select(m => m.Namespace)).IsSuccessful)
            {
                continue;
            }

            // Name each forbidden module a type uses, so the failure says what to move or to declare.
            offenders.AddRange(
                from target in forbidden
                let result = Modules.Check(layer, module, [target.Namespace])
                where !result.IsSuccessful
                from type in result.FailingTypeNames ?? []
                select $"{type} uses {target.Namespace}");
        }

        ArchAssert.NoOffenders(offenders, $"The {layer} layer's modules may use only themselves, {string.Join(", ", ModuleMap.Shared)} and what {nameof(ModuleMap)} declares");
    }

    [Fact]
    public void Modules_WhenDiscovered_AreFoundInEveryLayer()
    {
        foreach (var layer in Modules.Layers.Keys)
        {
            Assert.True(Modules.Of(layer).Count >= 4, $"The {layer} layer shows too few modules ({string.Join(", ", Modules.Of(layer))}); the rule would pass vacuously.");
        }

        Assert.All(Modules.Layers.Keys, layer => Assert.Contains("Interactions", Modules.Of(layer)));
    }

    [Fact]
    public void ModuleMap_WhenComparedWithTheCode_DeclaresOnlyModulesAndDependenciesThatExist()
    {
        var discovered = Modules.All.Select(m => m.Module).ToHashSet(StringComparer.Ordinal);
        var unknown = ModuleMap.Allowed.Keys.Concat(ModuleMap.Shared).Concat(ModuleMap.SharedAdapters).Where(m => !discovered.Contains(m));

        // Every declared dependency is one the code has: a scan that saw no dependency at all would fail here, and
        // the map stays as narrow as the code.
        var unused =
            from entry in ModuleMap.Allowed
            from target in entry.Value
            where !Modules.Layers.Keys.Any(layer => Modules.Of(layer).Contains(entry.Key)
                && !Modules.Check(layer, entry.Key, Modules.All.Where(m => m.Module == target).Select(m => m.Namespace)).IsSuccessful)
            select $"{entry.Key} -> {target}";

        ArchAssert.NoOffenders(unknown.Select(m => $"{m} (no such module)").Concat(unused.Select(d => $"{d} (declared, never used)")), $"{nameof(ModuleMap)} must describe the code as it is");
    }
}

/// <summary>The modules found in each layer's assembly.</summary>
internal static class Modules
{
    public static readonly IReadOnlyDictionary<string, Assembly> Layers = new Dictionary<string, Assembly>
    {
        ["Domain"] = Assemblies.Domain,
        ["Application"] = Assemblies.Application,
        ["Infrastructure"] = Assemblies.Infrastructure,
        ["Api"] = Assemblies.Api,
    };

    /// <summary>Every module of every layer, with its namespace (NetArchTest matches whole namespace parts: Exports is not Export).</summary>
    public static readonly IReadOnlyList<(string Layer, string Module, string Namespace)> All =
        (from layer in Layers
         from type in layer.Value.WrittenTypes()
         let parts = type.Namespace?.Split('.') ?? []
         where parts.Length >= 3 && parts[0] == "Moonflow" && parts[1] == layer.Key
         select (layer.Key, parts[2], $"Moonflow.{layer.Key}.{parts[2]}")).Distinct().OrderBy(m => m.Item3, StringComparer.Ordinal).ToList();

    public static IReadOnlyList<string> Of(string layer) => All.Where(m => m.Layer == layer).Select(m => m.Module).ToList();

    /// <summary>Whether the module's types in the layer stay clear of <paramref name="namespaces"/>.</summary>
    public static TestResult Check(string layer, string module, IEnumerable<string> namespaces) =>
        Types.InAssembly(Layers[layer]).That().ResideInNamespaceMatching($@"^Moonflow\.{layer}\.{module}(\..*)?$")
            .ShouldNot().HaveDependencyOnAny(namespaces.ToArray()).GetResult();
}
