using System.Reflection;
using Moonflow.Architecture.Tests.Support;

namespace Moonflow.Architecture.Tests.Domain;

public sealed class DomainEncapsulationTests
{
    private const BindingFlags Declared =
        BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

    [Fact]
    public void DomainTypes_WhenCompiled_HaveNoPublicSetters()
    {
        var offenders =
            from type in Assemblies.Domain.WrittenTypes()
            from property in type.GetProperties(Declared)
            where property.SetMethod is { IsPublic: true } setter && !IsInitOnly(setter)
            select $"{type.FullName}.{property.Name}";

        ArchAssert.NoOffenders(offenders, "State changes only through behaviour methods: these properties have public setters");
    }

    [Fact]
    public void DomainClasses_WhenNotValueRecords_HaveNoPublicInitSetters()
    {
        // Records are immutable values (parameter objects, value objects): `init` only builds a new one.
        // On an entity, a public `init` would let callers fill it in around its factory and rules.
        var offenders =
            from type in Assemblies.Domain.WrittenTypes()
            where type.IsClass && !IsRecord(type)
            from property in type.GetProperties(Declared)
            where property.SetMethod is { IsPublic: true } setter && IsInitOnly(setter)
            select $"{type.FullName}.{property.Name}";

        ArchAssert.NoOffenders(offenders, "Entities are built by their factories: these properties have public init accessors");
    }

    [Fact]
    public void DomainTypes_WhenCompiled_HaveNoPublicMutableFields()
    {
        var offenders =
            from type in Assemblies.Domain.WrittenTypes()
            where !type.IsEnum
            from field in type.GetFields(Declared)
            where field is { IsPublic: true, IsInitOnly: false, IsLiteral: false }
            select $"{type.FullName}.{field.Name}";

        ArchAssert.NoOffenders(offenders, "State changes only through behaviour methods: these fields are public and writable");
    }

    [Fact]
    public void Aggregates_WhenCompiled_HaveNoPublicConstructor()
    {
        var offenders =
            from type in Assemblies.Domain.WrittenTypes()
            where type is { IsClass: true, IsAbstract: false } && typeof(Moonflow.Domain.Common.AggregateRoot).IsAssignableFrom(type)
            where type.GetConstructors(BindingFlags.Instance | BindingFlags.Public).Length > 0
            select type.FullName!;

        ArchAssert.NoOffenders(offenders, "Aggregates are created through their static factory: these have a public constructor");
    }

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit));

    private static bool IsRecord(Type type) => type.GetMethod("<Clone>$", BindingFlags.Instance | BindingFlags.Public) is not null;
}
