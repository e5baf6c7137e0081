using System.Reflection;
using Moonflow.Architecture.Tests.Support;
using NetArchTest.Rules;

namespace Moonflow.Architecture.Tests.Modules;

public sealed class ModuleBoundaryTests
{
    private static TestResult Module(Assembly assembly, string module, params string[] mustNotUse) =>
        Types.InAssembly(assembly).That().ResideInNamespace(module).ShouldNot().HaveDependencyOnAny(mustNotUse).GetResult();

    [Fact]
    public void DomainIdentity_WhenCompiled_DependsOnNoOtherDomainModule()
    {
        var result = Module(
            Assemblies.Domain, "Moonflow.Domain.Identity",
            "Moonflow.Domain.Interactions", "Moonflow.Domain.Notifications", "Moonflow.Domain.Processes", "Moonflow.Domain.Receivables");

        ArchAssert.Passes(result, "Moonflow.Domain.Identity may use only Moonflow.Domain.Common");
    }

    [Fact]
    public void DomainReceivables_WhenCompiled_DependsOnNoDomainModuleButCommon()
    {
        var result = Module(
            Assemblies.Domain, "Moonflow.Domain.Receivables",
            "Moonflow.Domain.Identity", "Moonflow.Domain.Interactions", "Moonflow.Domain.Notifications", "Moonflow.Domain.Processes");

        ArchAssert.Passes(result, "Moonflow.Domain.Receivables may use only Moonflow.Domain.Common");
    }

    [Fact]
    public void DomainProcesses_WhenCompiled_KnowsNoModuleItRunsActionsFor()
    {
        var result = Module(
            Assemblies.Domain, "Moonflow.Domain.Processes",
            "Moonflow.Domain.Identity", "Moonflow.Domain.Interactions", "Moonflow.Domain.Notifications", "Moonflow.Domain.Receivables");

        ArchAssert.Passes(result, "The process log is generic: Moonflow.Domain.Processes may use only Moonflow.Domain.Common");
    }

    [Fact]
    public void ApplicationIdentity_WhenCompiled_DoesNotDependOnReceivablesOrProcesses()
    {
        var result = Module(
            Assemblies.Application, "Moonflow.Application.Identity",
            "Moonflow.Application.Receivables", "Moonflow.Application.Processes", "Moonflow.Application.Interactions",
            "Moonflow.Domain.Receivables", "Moonflow.Domain.Processes", "Moonflow.Domain.Interactions");

        ArchAssert.Passes(result, "Moonflow.Application.Identity must not reach into other modules");
    }

    [Fact]
    public void ApplicationProcesses_WhenCompiled_DoesNotKnowTheModulesThatPlugExecutorsIn()
    {
        var result = Module(
            Assemblies.Application, "Moonflow.Application.Processes",
            "Moonflow.Application.Receivables", "Moonflow.Application.Interactions", "Moonflow.Domain.Receivables", "Moonflow.Domain.Interactions");

        ArchAssert.Passes(result, "Modules plug executors into the process log; Moonflow.Application.Processes must not know them");
    }
}
