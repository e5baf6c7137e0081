using System.Reflection;
using NetArchTest.Rules;

namespace Moonflow.Architecture.Tests.Support;

internal static class Assemblies
{
    public static readonly Assembly Domain = typeof(Moonflow.Domain.Processes.BulkProcess).Assembly;
    public static readonly Assembly Application = typeof(Moonflow.Application.DependencyInjection).Assembly;
    public static readonly Assembly Infrastructure = typeof(Moonflow.Infrastructure.DependencyInjection).Assembly;
    public static readonly Assembly Api = typeof(Program).Assembly;

    /// <summary>The types a developer wrote (no compiler-generated closures, state machines or backing types).</summary>
    public static IEnumerable<Type> WrittenTypes(this Assembly assembly) =>
        assembly.GetTypes().Where(t => !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false)
            && !t.Name.StartsWith('<'));
}

internal static class ArchAssert
{
    public static void Passes(TestResult result, string rule)
    {
        var offenders = result.FailingTypeNames ?? [];
        Assert.True(result.IsSuccessful, $"{rule}. Offending types:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", offenders)}");
    }

    public static void NoOffenders(IEnumerable<string> offenders, string rule)
    {
        var list = offenders.Order(StringComparer.Ordinal).ToList();
        Assert.True(list.Count == 0, $"{rule}. Offenders:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", list)}");
    }
}
